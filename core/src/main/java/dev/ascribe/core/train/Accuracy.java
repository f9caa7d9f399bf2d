package dev.ascribe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;

/** Classification accuracy of a network on a dataset (dropout off). */
public final class Accuracy {
  private static final int BATCH = 1000;

  private Accuracy() {}

  /**
   * Fraction of predictions whose arg-max logit is the target class ({@link Model#targets}): one
   * per row for a classifier (the label), one per position for a sequence model (the next token).
   */
  public static double of(Model net, Dataset data) {
    long correct = 0;
    long total = 0;
    try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
      for (int from = 0; from < data.size(); from += BATCH) {
        int[] rows = Inputs.range(from, Math.min(data.size(), from + BATCH));
        try (NDManager scope = net.manager().newSubManager()) {
          NDArray x = Inputs.features(data, rows, scope);
          NDArray logits = net.logits(x);
          NDArray truth = net.targets(x, data.labels(rows), logits.getDataType()).argMax(-1);
          NDArray predicted = logits.argMax(-1);
          correct += predicted.eq(truth).sum().getLong();
          total += predicted.size();
        }
      }
    }
    return (double) correct / total;
  }
}
