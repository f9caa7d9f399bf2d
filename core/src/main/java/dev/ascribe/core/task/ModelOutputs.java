package dev.ascribe.core.task;

import ai.djl.ndarray.NDArray;

/**
 * The model outputs of DESIGN.md, numerically stable for any logit scale.
 *
 * <p>Each is defined on (B, classes) logits. On a sequence model's (B, T, classes) logits (with
 * targets of the same shape) the per-example value is the MEAN over positions of the per-position
 * value: the cross-entropy is the mean next-token loss (a batch's training loss is then the mean
 * token cross-entropy), and neg-loss is dattri's mean next-character log-likelihood.
 */
public final class ModelOutputs {
  /** Added to the true class's logit to remove it from a log-sum-exp: exp(-1e30) is exactly 0. */
  private static final double EXCLUDE = 1e30;

  private ModelOutputs() {}

  /** Softmax cross-entropy ℓ = logsumexp_c logit_c - logit_y. */
  public static ModelOutput crossEntropy() {
    return named("cross-entropy", (logits, oneHot) ->
        logSumExp(logits).sub(logits.mul(oneHot).sum(new int[] {1})));
  }

  /**
   * TRAK's margin f = logit_y - logsumexp_{c≠y} logit_c = log(p_y / (1 - p_y)).
   */
  public static ModelOutput margin() {
    return named("margin", (logits, oneHot) -> {
      NDArray trueLogit = logits.mul(oneHot).sum(new int[] {1});
      NDArray others = logits.sub(oneHot.mul(EXCLUDE));
      return trueLogit.sub(logSumExp(others));
    });
  }

  /**
   * The logit of the labelled class, logit_y: RPS's query side (its representer decomposition
   * splits each logit into training-example terms).
   */
  public static ModelOutput logit() {
    return named("logit", (logits, oneHot) -> logits.mul(oneHot).sum(new int[] {1}));
  }

  /** The negated loss -ℓ = log p_y: dattri's query-side measurement. */
  public static ModelOutput negLoss() {
    ModelOutput loss = crossEntropy();
    return named("neg-loss", (logits, oneHot) -> loss.perExample(logits, oneHot).neg());
  }

  /** The output with the given name: "cross-entropy" (or "loss"), "margin", "neg-loss", "logit". */
  public static ModelOutput byName(String name) {
    return switch (name) {
      case "cross-entropy", "loss" -> crossEntropy();
      case "margin" -> margin();
      case "neg-loss" -> negLoss();
      case "logit" -> logit();
      default -> throw new IllegalArgumentException("model output given '" + name
          + "': expected one of cross-entropy, margin, neg-loss, logit");
    };
  }

  /** log Σ_c exp(x_c) along axis 1, shifted by the row maximum so nothing overflows. */
  static NDArray logSumExp(NDArray x) {
    NDArray max = x.max(new int[] {1}, true).stopGradient();
    return x.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
  }

  private static ModelOutput named(String name, Fn fn) {
    return new ModelOutput() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public NDArray perExample(NDArray logits, NDArray oneHot) {
        if (logits.getShape().dimension() != 3) {
          return fn.apply(logits, oneHot);
        }
        long batch = logits.getShape().get(0);
        long positions = logits.getShape().get(1);
        long classes = logits.getShape().get(2);
        NDArray perPosition = fn.apply(logits.reshape(batch * positions, classes),
            oneHot.reshape(batch * positions, classes));
        return perPosition.reshape(batch, positions).mean(new int[] {1});
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private interface Fn {
    NDArray apply(NDArray logits, NDArray oneHot);
  }
}
