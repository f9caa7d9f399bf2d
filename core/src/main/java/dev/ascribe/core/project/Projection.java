package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;

/**
 * A projection {@code P} (k x d) that compresses per-example gradients: {@code g} (length d) maps
 * to {@code P g} (length k), so a batch {@code G} (B x d, one gradient per row) maps to {@code G
 * P^T} (B x k). Johnson–Lindenstrauss: norms, distances and inner products are preserved up to a
 * factor {@code 1 ± O(sqrt(log n / k))}. Used by TRAK (Park et al. 2023), TracIn, IF-FIM and the
 * sides of LoGra's Kronecker features.
 *
 * <p>Build one with {@link #of}: the options' {@link ProjectionKind} picks the implementation
 * ({@link DenseProjection} for Gaussian and Rademacher entries). An implementation is immutable and
 * thread-safe, and defined by {@link #describe()} alone, so every executor regenerates the same
 * matrix; it is applied through a {@link Projector} session from {@link #open}, which is not
 * thread-safe.
 */
public interface Projection {
  /**
   * The projection the options describe, for vectors of length {@code inputDim}.
   *
   * @throws IllegalArgumentException if {@code inputDim < 1}
   */
  static Projection of(ProjectionOptions options, int inputDim) {
    return options.kind().create(options, inputDim);
  }

  /** The options it was built from (k = {@code options().dim()}). */
  ProjectionOptions options();

  /** d, the number of columns of P. */
  int inputDim();

  /** k, the number of rows of P. */
  int outputDim();

  /**
   * The entry {@code P[r, j]} from the definition, in double precision; slow, for reference and
   * tests. A session applies exactly this matrix (rounded to float for float32 input).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= r < k} and {@code 0 <= j < d}
   */
  double entry(int r, int j);

  /**
   * Opens a projection session whose native memory lives in a sub-manager of {@code manager};
   * close it to free everything. Not thread-safe: one session per task/thread.
   */
  Projector open(NDManager manager);

  /**
   * Everything needed to regenerate P (kind, format version, dimensions, seed, ...), for provenance
   * next to stored features.
   */
  Map<String, Object> describe();

  /**
   * Projects rows without managing native memory: {@code rows} is B x d (one vector per row), the
   * result is B x k, float32. Opens and closes a temporary manager and session, so the matrix is
   * generated anew on every call; use {@link #open} for repeated batches.
   *
   * @throws IllegalArgumentException if a row's length is not d, or the rows exceed one Java array
   */
  default float[][] project(float[][] rows) {
    int d = inputDim();
    long total = (long) rows.length * d;
    if (total > ProjectionOptions.MAX_BLOCK_VALUES) {
      throw new IllegalArgumentException("projection input of " + rows.length + " rows x " + d
          + " exceeds one Java array: split it into smaller batches");
    }
    float[] flat = new float[(int) total];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("projection input row " + i + " has dimension "
            + rows[i].length + ": expected d = " + d);
      }
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    int k = outputDim();
    float[][] out = new float[rows.length][];
    if (rows.length == 0) {
      return out;
    }
    try (NDManager manager = NDManager.newBaseManager();
        Projector projector = open(manager)) {
      NDArray x = manager.create(flat, new Shape(rows.length, d));
      float[] y = projector.project(x).toFloatArray();
      for (int i = 0; i < rows.length; i++) {
        out[i] = Arrays.copyOfRange(y, i * k, (i + 1) * k);
      }
    }
    return out;
  }
}
