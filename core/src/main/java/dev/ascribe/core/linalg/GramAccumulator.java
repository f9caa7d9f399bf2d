package dev.ascribe.core.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Accumulates the Gram matrix G = Σ_i φ_i φ_iᵀ (k x k, float64) and the row count n of a stream of
 * feature batches: the sum that the kernel step of DESIGN.md aggregates across partitions before
 * dividing by n ({@link Kernel#of(GramAccumulator)}).
 *
 * <p>Every batch Φ_b (B, k) contributes Φ_bᵀ Φ_b computed in float64. Products of float32 values
 * are exact in float64, so the only rounding is in the sums; the same batches added in the same
 * order give bit-identical sums, and another batching agrees to about 1e-15 relative.
 *
 * <p>The state is plain Java (the packed upper triangle of G as a {@code double[]} of k(k+1)/2
 * values, a {@code long} and an {@code int}), so the object is {@link Serializable} and can be the
 * buffer of a Spark tree aggregation: {@link #add(NDArray)} is the sequence operation and {@link
 * #merge(GramAccumulator)} the combine operation. Merging is associative up to rounding
 * (floating-point addition is not), and bit-identical for the same tree of merges. Only the upper
 * triangle is stored, so the sum is exactly symmetric by construction.
 *
 * <p>Not thread-safe: one accumulator per task, merged afterwards.
 */
public final class GramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Values per BLAS call, i.e. per float64 copy (64 MiB). */
  private static final int WIDE_CHUNK = 1 << 23;

  private final int k;
  // The upper triangle of G, packed row by row: (a, b) with a <= b at rowStart(a) + (b - a).
  private final double[] upper;
  private long count;

  /**
   * An empty accumulator (G = 0, n = 0).
   *
   * @param k the feature dimension (projection dim), >= 1
   */
  public GramAccumulator(int k) {
    if (k < 1 || k > 46_340) {
      throw new IllegalArgumentException(
          "Gram accumulator k given " + k + ": must be in [1, 46340] (k·k must fit an array)");
    }
    this.k = k;
    this.upper = new double[k * (k + 1) / 2];
  }

  /** The feature dimension k. */
  public int k() {
    return k;
  }

  /** The number of feature rows n added so far (over all merged accumulators). */
  public long count() {
    return count;
  }

  /** The sum G = Σ_i φ_i φ_iᵀ as a new k x k row-major array (symmetric), NOT divided by n. */
  public double[] sum() {
    double[] full = new double[k * k];
    for (int a = 0; a < k; a++) {
      int start = rowStart(a);
      for (int b = a; b < k; b++) {
        double v = upper[start + b - a];
        full[a * k + b] = v;
        full[b * k + a] = v;
      }
    }
    return full;
  }

  /**
   * Adds a batch of feature rows, computing Φ_bᵀ Φ_b in float64 with BLAS's symmetric rank-k
   * update ({@link Lapack#gramUpper}; the same bits on any thread count). The batch is read into
   * host memory and left untouched.
   *
   * @param batch features Φ_b, shape (B, k), rows = examples, float32 or float64; B may be 0
   * @return this accumulator
   */
  public GramAccumulator add(NDArray batch) {
    Shape shape = batch.getShape();
    if (shape.dimension() != 2 || shape.get(1) != k) {
      throw new IllegalArgumentException(
          "feature batch has shape " + shape + ": expected (B, " + k + "), rows = examples");
    }
    DataType type = batch.getDataType();
    if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
      throw new IllegalArgumentException(
          "feature batch has data type " + type + ": expected float32 or float64");
    }
    long rows = shape.get(0);
    if (rows == 0) {
      return this;
    }
    if (type == DataType.FLOAT32) {
      return add(batch.toFloatArray());
    }
    double[] all = batch.toDoubleArray();
    double[] batchSum = new double[upper.length];
    int chunkRows = chunkRows();
    for (int from = 0; from < rows; from += chunkRows) {
      int to = (int) Math.min(rows, from + chunkRows);
      addChunk(from == 0 && to == rows ? all : Arrays.copyOfRange(all, from * k, to * k),
          to - from, batchSum);
    }
    return commit(batchSum, rows);
  }

  /**
   * Adds feature rows given as Java arrays, one outer product at a time in plain Java (the
   * reference path, O(B·k²/2); prefer {@link #add(NDArray)} for large batches).
   *
   * @param rows B rows, each of length k
   * @return this accumulator
   */
  public GramAccumulator add(float[][] rows) {
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != k) {
        throw new IllegalArgumentException(
            "feature row " + r + " has length " + rows[r].length + ": expected k = " + k);
      }
      checkFinite(rows[r], 0, r);
    }
    for (float[] row : rows) {
      addOuter(row, 0);
    }
    count += rows.length;
    return this;
  }

  /**
   * Adds feature rows stored row-major in one array, by BLAS like {@link #add(NDArray)}: the same
   * rows in the same batches give the same bits either way.
   *
   * @param rowMajor B·k values: row r occupies [r·k, (r+1)·k)
   * @return this accumulator
   */
  public GramAccumulator add(float[] rowMajor) {
    if (rowMajor.length % k != 0) {
      throw new IllegalArgumentException("row-major features have length " + rowMajor.length
          + ": expected a multiple of k = " + k);
    }
    int rows = rowMajor.length / k;
    double[] batchSum = new double[upper.length];
    int chunkRows = chunkRows();
    for (int from = 0; from < rows; from += chunkRows) {
      int to = Math.min(rows, from + chunkRows);
      double[] wide = new double[(to - from) * k];
      for (int i = 0; i < wide.length; i++) {
        wide[i] = rowMajor[from * k + i];
      }
      addChunk(wide, to - from, batchSum);
    }
    return commit(batchSum, rows);
  }

  /** Adds a whole batch's checked sum: a batch that fails its check leaves this unchanged. */
  private GramAccumulator commit(double[] batchSum, long rows) {
    if (rows > 0) {
      for (int i = 0; i < upper.length; i++) {
        upper[i] += batchSum[i];
      }
      count += rows;
    }
    return this;
  }

  /**
   * Rows per BLAS call: at most {@value #WIDE_CHUNK} values, so that the float64 copy of a float32
   * batch stays small. Both input forms use the same chunks, hence the same bits.
   */
  private int chunkRows() {
    return Math.max(1, WIDE_CHUNK / k);
  }

  /** Φ_bᵀ Φ_b of float64 rows by {@link Lapack#gramUpper}, checked finite, into batchSum. */
  private void addChunk(double[] rowMajor, int rows, double[] batchSum) {
    double[] gram = Lapack.gramUpper(rowMajor, rows, k);
    for (int a = 0; a < k; a++) {
      int start = rowStart(a);
      for (int b = a; b < k; b++) {
        double v = gram[a * k + b];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("feature batch of " + rows + " rows gives Φᵀ Φ entry"
              + " (" + a + ", " + b + ") = " + v + ": the features contain NaN or infinity");
        }
        batchSum[start + b - a] += v;
      }
    }
  }

  /**
   * Adds another accumulator's sum and count into this one (the combine step of a tree
   * aggregation). {@code other} is not modified.
   *
   * @return this accumulator
   */
  public GramAccumulator merge(GramAccumulator other) {
    if (other.k != k) {
      throw new IllegalArgumentException(
          "cannot merge a Gram accumulator with k = " + other.k + " into one with k = " + k
              + ": the features of one model must share one projection dim");
    }
    for (int i = 0; i < upper.length; i++) {
      upper[i] += other.upper[i];
    }
    count += other.count;
    return this;
  }

  @Override
  public String toString() {
    return "GramAccumulator[k=" + k + ", n=" + count + "]";
  }

  /** Equal when k, n and every bit of the sum agree. */
  @Override
  public boolean equals(Object o) {
    return o instanceof GramAccumulator g
        && g.k == k && g.count == count && Arrays.equals(g.upper, upper);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * k + Long.hashCode(count)) + Arrays.hashCode(upper);
  }

  private int rowStart(int a) {
    return a * k - a * (a - 1) / 2;
  }

  /** Adds the upper triangle of φ φᵀ, φ = values[offset, offset + k). */
  private void addOuter(float[] values, int offset) {
    for (int a = 0; a < k; a++) {
      double va = values[offset + a];
      int start = rowStart(a) - a;
      for (int b = a; b < k; b++) {
        upper[start + b] += va * values[offset + b];
      }
    }
  }

  private void checkFinite(float[] values, int offset, int row) {
    for (int j = 0; j < k; j++) {
      if (!Float.isFinite(values[offset + j])) {
        throw new IllegalArgumentException("feature row " + row + " has " + values[offset + j]
            + " at column " + j + ": features must be finite");
      }
    }
  }
}
