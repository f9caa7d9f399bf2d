package dev.ascribe.core.metric;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Noisy-label detection (DESIGN.md, Metrics): training examples ranked by self-influence,
 * descending (a mislabelled example is one the model finds hard to fit, so its self-influence is
 * large), scored by the ROC AUC against the flip mask ({@link RocAuc}). Self-influence is
 * computed directly per example by the attributor, never through an n x n matrix.
 */
public final class NoisyLabelAuc {
  private NoisyLabelAuc() {}

  /**
   * How well self-influence finds the flipped labels.
   *
   * @param auc ROC AUC: 1 = every flipped example ranks above every clean one, 0.5 = chance
   * @param flipped number of flipped examples P
   * @param examples number of examples n
   * @param topPrecision fraction of flipped examples among the P highest self-influences
   */
  public record Result(double auc, int flipped, int examples, double topPrecision) {}

  /**
   * @param selfInfluence τ(z_i, z_i) with the loss on both sides, length n, in the flip mask's
   *     row order
   * @param flipped the flip mask, length n ({@link LabelFlip#flipped()})
   * @throws IllegalArgumentException if the lengths differ, a value is NaN, or the mask holds
   *     only one class
   */
  public static Result evaluate(double[] selfInfluence, boolean[] flipped) {
    Objects.requireNonNull(selfInfluence, "selfInfluence");
    double auc = RocAuc.rocAuc(selfInfluence, flipped);
    int positives = 0;
    for (boolean f : flipped) {
      positives += f ? 1 : 0;
    }
    // Ties broken by row, so the precision is deterministic.
    Integer[] order = IntStream.range(0, selfInfluence.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -selfInfluence[i])
        .thenComparingInt(i -> i));
    int hits = 0;
    for (int r = 0; r < positives; r++) {
      hits += flipped[order[r]] ? 1 : 0;
    }
    return new Result(auc, positives, selfInfluence.length, (double) hits / positives);
  }

  /** As {@link #evaluate(double[], boolean[])} for self-influences held as floats. */
  public static Result evaluate(float[] selfInfluence, boolean[] flipped) {
    Objects.requireNonNull(selfInfluence, "selfInfluence");
    double[] values = new double[selfInfluence.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = selfInfluence[i];
    }
    return evaluate(values, flipped);
  }
}
