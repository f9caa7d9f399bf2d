package dev.ascribe.core.task;

import ai.djl.ndarray.NDArray;

/**
 * A per-example function of a classifier's logits and labels: the training loss or a query-side
 * measurement (DESIGN.md, Mathematics). Implementations must be differentiable with DJL ops.
 */
public interface ModelOutput {
  /** A stable name for options and provenance ("cross-entropy", "margin"). */
  String name();

  /**
   * @param logits shape (B, classes)
   * @param oneHot the labels one-hot encoded, shape (B, classes), same type as logits
   * @return the value for each example, shape (B)
   */
  NDArray perExample(NDArray logits, NDArray oneHot);
}
