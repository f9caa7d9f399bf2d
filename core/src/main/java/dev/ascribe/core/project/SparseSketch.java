package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Applies a {@link SparseProjection} to one vector at a time, given coordinate block by coordinate
 * block, so the vector itself never needs to exist: {@link #addOuter} adds a linear layer's weight
 * gradient Σ_t δ_t a_tᵀ straight from (a, δ), {@link #addVector} any dense block (a bias gradient,
 * a whole row). {@link #finishRow} writes P g and starts the next vector.
 *
 * <pre>{@code
 * SparseSketch sketch = projection.sketch();
 * for (int b = 0; b < batch; b++) {
 *   sketch.addOuter(weightOffset, delta, b * out, out, input, b * in, in, 1, true);
 *   sketch.addVector(biasOffset, delta, b * out, out, true);
 *   sketch.finishRow(features, b * k);
 * }
 * }</pre>
 *
 * <p>Give the blocks of a vector in ascending coordinate order: each bucket then sums its
 * coordinates in ascending order, in double, so a vector given in blocks projects bit for bit as
 * the same vector given whole. Exact zeros are skipped (adding ±0 never changes a sum that starts at
 * +0). Holds the packed bucket/sign table of the projection (when it fits the options' cache budget)
 * and a k-long accumulator. Not thread-safe: one per thread.
 */
public final class SparseSketch {
  private final SparseProjection projection;
  private final int inputDim;
  private final int sparsity;
  private final int[] table;
  private final double[] acc;
  private int[] nonzero = new int[0];
  private double[] nonzeroValues = new double[0];
  private double[] scratch = new double[0];

  SparseSketch(SparseProjection projection) {
    this.projection = projection;
    this.inputDim = projection.inputDim();
    this.sparsity = projection.sparsity();
    this.table = projection.codeTable();
    this.acc = new double[projection.outputDim()];
  }

  /**
   * An array's values as the doubles the sketch takes: float32 values widened exactly (so {@code
   * roundToFloat} reproduces float32 products), float64 values as they are.
   */
  public static double[] values(NDArray x) {
    if (x.getDataType() == DataType.FLOAT64) {
      return x.toDoubleArray();
    }
    float[] values = x.toFloatArray();
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return wide;
  }

  /** Bytes held by the bucket/sign table (0 when coordinates are hashed on the fly). */
  public long tableBytes() {
    return table == null ? 0 : (long) table.length * Integer.BYTES;
  }

  /**
   * Adds the block of coordinates {@code offset + o * in + i} (o < out, i < in) with values Σ_t
   * δ[t, o] · a[t, i] over {@code positions} positions: a linear layer's weight gradient for one
   * example, without forming it when there is one position.
   *
   * @param delta δ, {@code positions x out} values (row-major) starting at {@code deltaOff}
   * @param input a, {@code positions x in} values starting at {@code inputOff}
   * @param roundToFloat round each value to float32 first (the gradient's own precision when the
   *     model computes in float32), so the result equals projecting the float32 gradient
   */
  public void addOuter(int offset, double[] delta, int deltaOff, int out, double[] input,
      int inputOff, int in, int positions, boolean roundToFloat) {
    checkRange(offset, (long) out * in);
    if (positions != 1) {
      addOuterSummed(offset, delta, deltaOff, out, input, inputOff, in, positions, roundToFloat);
      return;
    }
    int nnz = nonzeros(input, inputOff, in);
    int[] nz = nonzero;
    double[] a = nonzeroValues;
    boolean direct = table != null && sparsity == 1;
    for (int o = 0; o < out; o++) {
      double d = delta[deltaOff + o];
      if (d == 0) {
        continue;
      }
      int base = offset + o * in;
      if (direct) {
        // The hot loop (one bucket per coordinate, table at hand): gather, multiply, scatter.
        for (int n = 0; n < nnz; n++) {
          // Both factors are float32 values held exactly in double (or full doubles): their
          // product is exact, so rounding it once equals float32 multiplication.
          double v = d * a[n];
          int code = table[base + nz[n]];
          acc[code >>> 1] += flipSign(roundToFloat ? (float) v : v, code);
        }
      } else {
        for (int n = 0; n < nnz; n++) {
          double v = d * a[n];
          add(base + nz[n], roundToFloat ? (float) v : v);
        }
      }
    }
  }

  /** The general case of {@link #addOuter}: sum over positions per coordinate, then add. */
  private void addOuterSummed(int offset, double[] delta, int deltaOff, int out, double[] input,
      int inputOff, int in, int positions, boolean roundToFloat) {
    int size = out * in;
    if (scratch.length < size) {
      scratch = new double[size];
    }
    Arrays.fill(scratch, 0, size, 0.0);
    for (int t = 0; t < positions; t++) {
      for (int o = 0; o < out; o++) {
        double d = delta[deltaOff + t * out + o];
        if (d == 0) {
          continue;
        }
        int row = o * in;
        int aRow = inputOff + t * in;
        for (int i = 0; i < in; i++) {
          scratch[row + i] += d * input[aRow + i];
        }
      }
    }
    addVector(offset, scratch, 0, size, roundToFloat);
  }

  /**
   * Adds coordinates {@code offset .. offset + len - 1} with the values {@code values[off ..]}.
   *
   * @param roundToFloat round each value to float32 first
   */
  public void addVector(int offset, double[] values, int off, int len, boolean roundToFloat) {
    checkRange(offset, len);
    for (int j = 0; j < len; j++) {
      double v = values[off + j];
      if (v != 0) {
        add(offset + j, roundToFloat ? (float) v : v);
      }
    }
  }

  /** Adds {@code value} at coordinate {@code j} to its s buckets with their signs. */
  private void add(int j, double value) {
    if (table != null && sparsity == 1) {
      int code = table[j];
      acc[code >>> 1] += flipSign(value, code);
      return;
    }
    for (int t = 0; t < sparsity; t++) {
      int code = table != null ? table[t * inputDim + j] : projection.code(t, j);
      acc[code >>> 1] += flipSign(value, code);
    }
  }

  /** {@code value} negated when the code's sign bit is set (a bit flip: exact, and no branch). */
  private static double flipSign(double value, int code) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(value) ^ ((long) (code & 1) << 63));
  }

  /** Writes P g (scaled, rounded to float) to {@code out[off .. off + k - 1]}; starts a new vector. */
  public void finishRow(float[] out, int off) {
    double scale = projection.scale();
    for (int r = 0; r < acc.length; r++) {
      out[off + r] = (float) (acc[r] * scale);
    }
    Arrays.fill(acc, 0.0);
  }

  /** Writes P g (scaled) to {@code out[off .. off + k - 1]}; starts a new vector. */
  public void finishRow(double[] out, int off) {
    double scale = projection.scale();
    for (int r = 0; r < acc.length; r++) {
      out[off + r] = acc[r] * scale;
    }
    Arrays.fill(acc, 0.0);
  }

  /**
   * The nonzero values among {@code values[off .. off + len - 1]} and their indices, into
   * nonzeroValues and nonzero; returns how many.
   */
  private int nonzeros(double[] values, int off, int len) {
    if (nonzero.length < len) {
      nonzero = new int[len];
      nonzeroValues = new double[len];
    }
    int n = 0;
    for (int i = 0; i < len; i++) {
      double v = values[off + i];
      if (v != 0) {
        nonzero[n] = i;
        nonzeroValues[n++] = v;
      }
    }
    return n;
  }

  private void checkRange(int offset, long len) {
    if (offset < 0 || offset + len > inputDim) {
      throw new IndexOutOfBoundsException("sketch block [" + offset + ", " + (offset + len)
          + ") is outside the projection's " + inputDim + " input coordinates");
    }
  }
}
