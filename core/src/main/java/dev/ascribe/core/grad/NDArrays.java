package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Concatenation helpers that name the axis, so call sites read as matrix assembly. */
final class NDArrays {
  private NDArrays() {}

  /** Joins (B, d_k) blocks side by side into (B, Σ d_k). */
  static NDArray concatColumns(NDList blocks) {
    return blocks.size() == 1 ? blocks.head() : ai.djl.ndarray.NDArrays.concat(blocks, 1);
  }

  /** Stacks (b_k, d) blocks into (Σ b_k, d). */
  static NDArray concatRows(NDList blocks) {
    return blocks.size() == 1 ? blocks.head() : ai.djl.ndarray.NDArrays.concat(blocks, 0);
  }
}
