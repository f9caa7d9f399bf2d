package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Batch normalization over the channels of images (B, C, H, W), PyTorch's {@code BatchNorm2d}
 * (Ioffe and Szegedy, 2015): y = γ (x − μ) / √(σ² + ε) + β per channel.
 *
 * <p>A training step normalizes by the batch's own statistics (mean and biased variance over
 * batch and positions) and moves the running statistics towards them with momentum 0.1, the
 * running variance taking the unbiased batch variance, as PyTorch does. Every other pass (every
 * gradient and output used for attribution) uses the running statistics, so the layer is the
 * fixed affine map x ↦ γ (x − μ_run) / √(σ²_run + ε) + β.
 */
final class BatchNorm {
  /** ε added to the variance (PyTorch's default). */
  static final double EPSILON = 1e-5;
  /** Weight of the batch statistic in a running-statistic update (PyTorch's default). */
  static final double MOMENTUM = 0.1;

  private BatchNorm() {}

  /**
   * Normalizes {@code x}.
   *
   * @param x shape (B, C, H, W)
   * @param gamma scale, shape (C) shared by the batch, or (B, C) with one copy per example (a
   *     parameter plus its per-example probe)
   * @param beta shift, shape (C) or (B, C) like {@code gamma}
   * @param runningMean shape (C); updated in place by a training step
   * @param runningVar shape (C); updated in place by a training step
   * @param training whether this is a training step
   */
  static NDArray apply(NDArray x, NDArray gamma, NDArray beta, NDArray runningMean,
      NDArray runningVar, boolean training) {
    long channels = x.getShape().get(1);
    NDArray normalized;
    if (training) {
      NDArray mean = channelMean(x);
      NDArray centred = x.sub(mean);
      NDArray var = channelMean(centred.square());
      normalized = centred.div(var.add(EPSILON).sqrt());
      long count = x.getShape().size() / channels;
      update(runningMean, mean, 1.0);
      update(runningVar, var, count > 1 ? count / (count - 1.0) : 1.0);
    } else {
      NDArray scale = inScope(runningVar.add(EPSILON), x).sqrt().reshape(1, channels, 1, 1);
      normalized = x.sub(inScope(runningMean.reshape(1, channels, 1, 1), x)).div(scale);
    }
    return normalized.mul(inScope(perChannel(gamma, channels), x))
        .add(inScope(perChannel(beta, channels), x));
  }

  /**
   * {@code a}, moved into x's manager. A result lands in its first operand's manager: one made
   * from a parameter or a running statistic would otherwise stay in the model's manager, one per
   * pass, until the model is closed.
   */
  static NDArray inScope(NDArray a, NDArray x) {
    if (a.getManager() != x.getManager()) {
      a.attach(x.getManager());
    }
    return a;
  }

  /**
   * The mean over batch and positions per channel, shape (1, C, 1, 1). The engine reduces one
   * axis at a time with keepDims; means of equal-sized groups compose to the mean.
   */
  private static NDArray channelMean(NDArray x) {
    return x.mean(new int[] {3}, true).mean(new int[] {2}, true).mean(new int[] {0}, true);
  }

  /** running ← (1 − m) running + m · factor · batch, outside any gradient graph. */
  private static void update(NDArray running, NDArray batch, double factor) {
    try (NDArray detached = batch.stopGradient()) {
      NDArray step = detached.reshape(running.getShape()).mul(MOMENTUM * factor);
      running.muli(1 - MOMENTUM).addi(step);
      step.close();
    }
  }

  /** (C) to (1, C, 1, 1), or (B, C) to (B, C, 1, 1), for broadcasting over an image batch. */
  private static NDArray perChannel(NDArray v, long channels) {
    Shape s = v.getShape();
    return s.dimension() == 1 ? v.reshape(1, channels, 1, 1) : v.reshape(s.get(0), channels, 1, 1);
  }
}
