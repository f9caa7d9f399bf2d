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

  /** Fraction of rows whose arg-max logit equals the label. */
  public static double of(Model net, Dataset data) {
    int correct = 0;
    try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
      for (int from = 0; from < data.size(); from += BATCH) {
        int[] rows = Inputs.range(from, Math.min(data.size(), from + BATCH));
        try (NDManager scope = net.manager().newSubManager()) {
          NDArray logits = net.logits(Inputs.features(data, rows, scope));
          long[] predicted = logits.argMax(1).toLongArray();
          for (int k = 0; k < rows.length; k++) {
            if (predicted[k] == data.label(rows[k])) {
              correct++;
            }
          }
        }
      }
    }
    return (double) correct / data.size();
  }
}
