package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One-hot targets, the second argument of every model output ({@code ModelOutput.perExample}):
 * a classifier's are its labels one-hot; a model that predicts several positions builds its own
 * through {@link Model#targets}.
 */
public final class Targets {
  private Targets() {}

  /**
   * Labels one-hot encoded, shape (B, classes).
   *
   * @throws IllegalArgumentException naming a label outside [0, classes)
   */
  public static NDArray oneHot(NDManager manager, int[] labels, int classes, DataType type) {
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label " + label + " is outside the model's classes [0, " + classes + ")");
      }
    }
    return manager.create(labels).oneHot(classes).toType(type, false);
  }
}
