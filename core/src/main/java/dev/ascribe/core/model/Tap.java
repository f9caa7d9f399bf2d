package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass captures at one {@link TappedLayer}: the layer's input a, and a zero probe
 * added to its output whose gradient after a backward pass is the output gradient δ.
 *
 * <p>For a layer applied once per example, a has shape (B, in) and the probe (B, out); for a layer
 * applied at T positions (a sequence model), (B, T, in) and (B, T, out). Per-example gradients then
 * sum over positions: ∇W = Σ_t δ_t a_tᵀ, ∇b = Σ_t δ_t.
 *
 * @param input a
 * @param probe the zero tensor requiring gradients added to the layer's output; null when the
 *     pass ran without probes
 */
public record Tap(NDArray input, NDArray probe) {
  /** Whether the layer was applied at several positions (3-D arrays). */
  public boolean hasPositions() {
    return input.getShape().dimension() == 3;
  }
}
