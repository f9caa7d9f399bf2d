package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A model's parameter arrays as one flat vector in their order, read and written in place (the
 * arrays stay the same tensors, so a module that holds them keeps using them): the one copy loop
 * of every {@link Model} kind.
 */
final class FlatParameters {
  private FlatParameters() {}

  /** The arrays' values one after another, as doubles. */
  static double[] read(NDList parameters, int count) {
    double[] theta = new double[count];
    int off = 0;
    for (NDArray p : parameters) {
      double[] values = p.toType(DataType.FLOAT64, false).toDoubleArray();
      System.arraycopy(values, 0, theta, off, values.length);
      off += values.length;
    }
    return theta;
  }

  /**
   * Overwrites the arrays in place from {@code theta} (float64 arrays take the doubles as they
   * are, float32 arrays their rounding).
   *
   * @throws IllegalArgumentException naming the model when the length differs from its count
   */
  static void write(NDList parameters, double[] theta, int count, String model) {
    if (theta.length != count) {
      throw new IllegalArgumentException("parameter vector has " + theta.length
          + " values: model " + model + " has " + count);
    }
    int off = 0;
    for (NDArray p : parameters) {
      int size = (int) p.size();
      if (p.getDataType() == DataType.FLOAT64) {
        p.set(DoubleBuffer.wrap(theta, off, size).slice());
      } else {
        float[] values = new float[size];
        for (int k = 0; k < size; k++) {
          values[k] = (float) theta[off + k];
        }
        p.set(FloatBuffer.wrap(values));
      }
      off += size;
    }
  }
}
