package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Layer normalization over the last axis (Ba, Kiros and Hinton, 2016; PyTorch's {@code
 * nn.LayerNorm}): (x - mean) / sqrt(var + eps) · γ + β with the biased variance.
 */
final class LayerNorm {
  /** PyTorch's default epsilon. */
  static final double EPSILON = 1e-5;

  private LayerNorm() {}

  /**
   * @param x shape (..., E)
   * @param gamma γ, shape (E), or (B, 1, E) for per-example copies
   * @param beta β, same shape as {@code gamma}
   * @param epsilon a scalar array holding {@link #EPSILON} in x's type (kept alive by the caller:
   *     an array built from a Java number under autograd could be freed before backward)
   */
  static NDArray apply(NDArray x, NDArray gamma, NDArray beta, NDArray epsilon) {
    NDArray centred = x.sub(x.mean(new int[] {-1}, true));
    NDArray variance = centred.square().mean(new int[] {-1}, true);
    return centred.div(variance.add(epsilon).sqrt()).mul(gamma).add(beta);
  }
}
