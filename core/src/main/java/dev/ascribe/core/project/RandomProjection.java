package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dense random projection {@code P} (k x d) that compresses per-example gradients: {@code g}
 * (length d) maps to {@code P g} (length k), so a batch {@code G} (B x d, one gradient per row)
 * maps to {@code G P^T} (B x k). Johnson–Lindenstrauss: norms, distances and inner products are
 * preserved up to a factor {@code 1 ± O(sqrt(log n / k))}. Used by TRAK (Park et al. 2023), TracIn
 * and IF-FIM to make gradients small enough to store.
 *
 * <h2>Stored layout, format version {@value #FORMAT_VERSION}</h2>
 *
 * Features written with a projection depend on this definition; it must not change without a new
 * format version. With {@code k = dim}, {@code bs = blockSize} and {@link CounterRandom}:
 *
 * <pre>
 *   P[r, j] = scale * z(key(seed, b), r * bs + (j - b * bs)),   b = j / bs (integer division)
 *   scale   = 1.0 / Math.sqrt(k)                                  (double; note: not z / sqrt(k))
 * </pre>
 *
 * for {@code 0 <= r < k} and {@code 0 <= j < d}, where {@code z} is {@link CounterRandom#gaussian}
 * or {@link CounterRandom#rademacher} by {@link ProjectionKind} and {@code key} is {@link
 * CounterRandom#key}. The column blocks {@code [b bs, min((b + 1) bs, d))} are independent streams,
 * so any process can generate any block. The counter does not depend on k: the first k' rows of a
 * k-row matrix are the k'-row matrix times {@code sqrt(k'/k)}. The float32 matrix is each double
 * entry rounded to float; the float64 matrix is the double entries. {@code blockSize} is part of
 * the definition; {@code cacheBytes} is not.
 *
 * <p>Immutable and thread-safe; a {@link Projector} session (from {@link #open}) is not.
 */
public final class RandomProjection {
  /** Version of the layout defined above; stored with every projected feature set. */
  public static final int FORMAT_VERSION = 1;

  private final ProjectionOptions options;
  private final int inputDim;
  private final int numBlocks;
  private final double scale;

  /**
   * @param options projection options (k = {@code options.dim()})
   * @param inputDim d, the length of the vectors to project (number of columns of P)
   * @throws IllegalArgumentException if {@code inputDim < 1}
   */
  public RandomProjection(ProjectionOptions options, int inputDim) {
    this.options = Objects.requireNonNull(options, "options");
    if (inputDim < 1) {
      throw new IllegalArgumentException(
          "projection input dimension given " + inputDim + ": must be >= 1");
    }
    this.inputDim = inputDim;
    this.numBlocks = (int) (((long) inputDim + options.blockSize() - 1) / options.blockSize());
    this.scale = 1.0 / Math.sqrt(options.dim());
  }

  public ProjectionOptions options() {
    return options;
  }

  /** d, the number of columns of P. */
  public int inputDim() {
    return inputDim;
  }

  /** k, the number of rows of P. */
  public int outputDim() {
    return options.dim();
  }

  /** {@code 1/sqrt(k)}, the factor applied to every raw generator value. */
  public double scale() {
    return scale;
  }

  /** Number of column blocks, {@code ceil(d / blockSize)}. */
  public int numBlocks() {
    return numBlocks;
  }

  /** First column of block {@code b}. */
  public int blockStart(int b) {
    checkBlock(b);
    return b * options.blockSize();
  }

  /** Number of columns of block {@code b}: blockSize, or less for the last block. */
  public int blockWidth(int b) {
    checkBlock(b);
    return Math.min(options.blockSize(), inputDim - b * options.blockSize());
  }

  /** The entry {@code P[r, j]} from its definition; slow, for reference and tests. */
  public double entry(int r, int j) {
    if (r < 0 || r >= outputDim() || j < 0 || j >= inputDim) {
      throw new IndexOutOfBoundsException(
          "projection entry (" + r + ", " + j + ") is outside " + outputDim() + " x " + inputDim);
    }
    int bs = options.blockSize();
    int b = j / bs;
    long key = CounterRandom.key(options.seed(), b);
    long counter = (long) r * bs + (j - (long) b * bs);
    double z =
        options.kind() == ProjectionKind.GAUSSIAN
            ? CounterRandom.gaussian(key, counter)
            : CounterRandom.rademacher(key, counter);
    return scale * z;
  }

  /**
   * Block {@code b} of P in float32: the columns {@code [blockStart(b), blockStart(b) + w)}, {@code
   * w = blockWidth(b)}, as a row-major k x w array: element {@code [r * w + jj]} is {@code (float)
   * P[r, blockStart(b) + jj]}.
   */
  public float[] block(int b) {
    float[] out = new float[outputDim() * blockWidth(b)];
    fillBlock(b, out);
    return out;
  }

  /** Block {@code b} of P in float64, same k x w row-major layout as {@link #block(int)}. */
  public double[] blockAsDouble(int b) {
    double[] out = new double[outputDim() * blockWidth(b)];
    fillBlock(b, out);
    return out;
  }

  /**
   * Fills {@code out} (length at least k * w) with block {@code b} as in {@link #blockAsDouble}.
   */
  void fillBlock(int b, double[] out) {
    int w = blockWidth(b);
    for (int r = 0, k = outputDim(); r < k; r++) {
      rawRow(b, r, out, r * w, w);
      for (int i = r * w, end = i + w; i < end; i++) {
        out[i] *= scale;
      }
    }
  }

  /** Fills {@code out} (length at least k * w) with block {@code b} as in {@link #block(int)}. */
  void fillBlock(int b, float[] out) {
    int w = blockWidth(b);
    double[] row = new double[w];
    for (int r = 0, k = outputDim(); r < k; r++) {
      rawRow(b, r, row, 0, w);
      int base = r * w;
      for (int jj = 0; jj < w; jj++) {
        out[base + jj] = (float) (scale * row[jj]);
      }
    }
  }

  /** Unscaled generator values of row r of block b (w consecutive counters) into out[off..]. */
  private void rawRow(int b, int r, double[] out, int off, int w) {
    long key = CounterRandom.key(options.seed(), b);
    long first = (long) r * options.blockSize();
    switch (options.kind()) {
      case GAUSSIAN:
        CounterRandom.gaussians(key, first, out, off, w);
        break;
      case RADEMACHER:
        CounterRandom.rademachers(key, first, out, off, w);
        break;
      default:
        throw new IllegalStateException("projection kind " + options.kind() + " is not dense");
    }
  }

  /**
   * Opens a projection session whose native memory (cached blocks) lives in a sub-manager of {@code
   * manager}; close it to free everything. Not thread-safe: one session per task/thread.
   */
  public Projector open(NDManager manager) {
    return new DenseProjector(this, manager);
  }

  /**
   * Projects rows without managing native memory: {@code rows} is B x d (one vector per row), the
   * result is B x k, float32. Opens and closes a temporary manager and session, so blocks are
   * generated anew on every call; use {@link #open} for repeated batches.
   */
  public float[][] project(float[][] rows) {
    int d = inputDim;
    long total = (long) rows.length * d;
    if (total > ProjectionOptions.MAX_BLOCK_VALUES) {
      throw new IllegalArgumentException(
          "projection input of "
              + rows.length
              + " rows x "
              + d
              + " exceeds one Java array:"
              + " split it into smaller batches");
    }
    float[] flat = new float[(int) total];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "projection input row "
                + i
                + " has dimension "
                + rows[i].length
                + ": expected d = "
                + d);
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

  /** Everything needed to regenerate P, for provenance next to stored features. */
  public Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("formatVersion", FORMAT_VERSION);
    map.put("kind", options.kind().name());
    map.put("outputDim", outputDim());
    map.put("inputDim", inputDim);
    map.put("seed", options.seed());
    map.put("blockSize", options.blockSize());
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "RandomProjection" + describe();
  }

  private void checkBlock(int b) {
    if (b < 0 || b >= numBlocks) {
      throw new IndexOutOfBoundsException(
          "projection block " + b + " is outside [0, " + numBlocks + ")");
    }
  }
}
