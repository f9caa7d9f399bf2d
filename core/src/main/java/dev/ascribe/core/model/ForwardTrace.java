package dev.ascribe.core.model;

import java.util.List;

/**
 * What one forward pass leaves behind for the backward pass.
 *
 * @param logits model outputs, shape (B, classes)
 * @param taps one {@link Tap} per {@link ModelSpec#tappedLayers() tapped layer}, in that order
 */
public record ForwardTrace(ai.djl.ndarray.NDArray logits, List<Tap> taps) {
  public ForwardTrace {
    taps = List.copyOf(taps);
  }
}
