package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.data.Dataset;

/** Moves batches of a {@link Dataset} into native memory. */
public final class Inputs {
  private Inputs() {}

  /** The features of {@code rows} as a (rows.length, dim) float32 array in {@code manager}. */
  public static NDArray features(Dataset data, int[] rows, NDManager manager) {
    float[] buffer = new float[rows.length * data.dim()];
    data.copyFeatures(rows, buffer);
    return manager.create(buffer, new Shape(rows.length, data.dim()));
  }

  /** Rows {@code [from, to)} as an index array. */
  public static int[] range(int from, int to) {
    int[] rows = new int[to - from];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = from + k;
    }
    return rows;
  }
}
