package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;

/**
 * One tapped layer's share of a finished backward pass: its input a and output gradient δ, shapes
 * (B, in) and (B, out) for a layer applied once per example, (B, T, in) and (B, T, out) for one
 * applied at T positions. Every per-example and batch gradient of the layer follows from them.
 *
 * @param input a
 * @param delta δ = ∂(scale · Σ_i f_i)/∂z, row by row each example's own output gradient
 */
public record LayerGradient(NDArray input, NDArray delta) {
  /** Whether the layer was applied at several positions (3-D arrays). */
  public boolean hasPositions() {
    return input.getShape().dimension() == 3;
  }
}
