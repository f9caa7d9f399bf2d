package dev.ascribe.core.metric;

import java.util.Objects;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Area under the ROC curve of scores against a binary mask, as used by the noisy-label metric
 * (DESIGN.md, Metrics): scores are self-influences (higher = more suspicious), positives are the
 * training points whose labels were flipped.
 *
 * <p>AUC is the probability that a random positive scores above a random negative, ties counting
 * one half. It is computed as the Mann–Whitney statistic from average (fractional) ranks: with R
 * the sum of the positives' ranks in ascending score order, {@code AUC = (R - P(P+1)/2) / (P N)}
 * for P positives and N negatives. This equals the trapezoidal area under the ROC curve with
 * tied scores forming one diagonal step, as in {@code sklearn.metrics.roc_auc_score}.
 */
public final class RocAuc {
  private static final NaturalRanking RANKING =
      new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

  private RocAuc() {}

  /**
   * ROC AUC of {@code scores} against {@code positive}.
   *
   * @param scores one score per example, length n; higher means more likely positive; no NaN
   *     (infinite values are ranked normally)
   * @param positive which examples are positives (e.g. flipped labels), length n
   * @return the AUC in [0, 1]: 1 when every positive outscores every negative, 0.5 for no signal
   * @throws IllegalArgumentException if the lengths differ, a score is NaN, or the mask holds only
   *     one class
   */
  public static double rocAuc(double[] scores, boolean[] positive) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(positive, "positive");
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "ROC AUC given " + scores.length + " scores and a mask of length " + positive.length
              + ": expected one mask entry per score");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException(
            "ROC AUC given a NaN score at index " + i
                + ": every score must be a number; fix the computation that produced it");
      }
    }
    long numPositive = 0;
    for (boolean p : positive) {
      if (p) {
        numPositive++;
      }
    }
    long numNegative = positive.length - numPositive;
    if (numPositive == 0 || numNegative == 0) {
      throw new IllegalArgumentException(
          "ROC AUC given " + numPositive + " positives and " + numNegative
              + " negatives: needs at least one of each");
    }
    double[] ranks = RANKING.rank(scores);
    double positiveRankSum = 0;
    for (int i = 0; i < ranks.length; i++) {
      if (positive[i]) {
        positiveRankSum += ranks[i];
      }
    }
    double u = positiveRankSum - numPositive * (numPositive + 1) / 2.0;
    return u / ((double) numPositive * numNegative);
  }
}
