package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What one forward pass leaves behind for the backward pass.
 *
 * @param logits model outputs, shape (B, classes)
 * @param taps one {@link Tap} per {@link ModelSpec#tappedLayers() tapped layer}, in that order
 * @param blockProbes with probes, one per {@link ModelSpec#probedBlocks() probed block}, in that
 *     order: the zero array of shape (B, block shape...) requiring gradients that the pass added
 *     to the block, so that example b ran with its own copy; its gradient after a backward pass is
 *     each example's gradient of that block. Empty without probes.
 */
public record ForwardTrace(NDArray logits, List<Tap> taps, List<NDArray> blockProbes) {
  public ForwardTrace {
    taps = List.copyOf(taps);
    blockProbes = List.copyOf(blockProbes);
  }

  /** A trace with taps only (a model without probed blocks). */
  public ForwardTrace(NDArray logits, List<Tap> taps) {
    this(logits, taps, List.of());
  }
}
