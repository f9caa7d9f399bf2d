package dev.ascribe.core.metric;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Leave-one-out ground truth (DESIGN.md, Metrics, LOO): the query outputs of the full model θ_S
 * and of K models θ_{S∖{i}}, each trained without one removed training example i. Arrays are
 * shared, not copied; matrices are {@code [removed][query]}.
 *
 * <p>Outputs are stored raw (log p_y and margin, as in the LDS ground truth), so either target
 * follows: for {@code neg-loss} f = log p_y, for {@code margin} f = the margin.
 *
 * @param removedIds example ids of the removed training examples, length K, distinct
 * @param queryIds query ids, length m, distinct
 * @param fullLogp log p_y of each query under the full model, length m
 * @param fullMargin margin of each query under the full model, length m
 * @param logp log p_y of each query under each LOO model, K x m
 * @param margin margin of each query under each LOO model, K x m
 */
public record LooGroundTruth(long[] removedIds, long[] queryIds, double[] fullLogp,
    double[] fullMargin, double[][] logp, double[][] margin) {

  /** @throws IllegalArgumentException if the shapes disagree or an id occurs twice */
  public LooGroundTruth {
    Objects.requireNonNull(removedIds, "removedIds");
    Objects.requireNonNull(queryIds, "queryIds");
    int k = removedIds.length;
    int m = queryIds.length;
    if (fullLogp.length != m || fullMargin.length != m) {
      throw new IllegalArgumentException("LOO ground truth: full-model outputs of length "
          + fullLogp.length + " and " + fullMargin.length + ": expected one per query, " + m);
    }
    MatrixChecks.checkMatrix("LOO logp", logp, k, m, "[removed][query], K = " + k + ", m = " + m);
    MatrixChecks.checkMatrix("LOO margin", margin, k, m,
        "[removed][query], K = " + k + ", m = " + m);
    requireDistinct("removed example", removedIds);
    requireDistinct("query", queryIds);
  }

  /** Number of removed examples (LOO models), K. */
  public int numRemoved() {
    return removedIds.length;
  }

  /**
   * Δ_r(q) = f(q; θ_S) − f(q; θ_{S∖{i_r}}), K x m {@code [removed][query]}.
   *
   * @param target {@code margin} or {@code neg-loss}
   * @throws IllegalArgumentException for another target
   */
  public double[][] deltas(String target) {
    boolean useMargin = switch (target) {
      case "margin" -> true;
      case "neg-loss" -> false;
      default -> throw new IllegalArgumentException(
          "LOO target given '" + target + "': expected margin or neg-loss");
    };
    double[] full = useMargin ? fullMargin : fullLogp;
    double[][] loo = useMargin ? margin : logp;
    double[][] deltas = new double[loo.length][full.length];
    for (int r = 0; r < loo.length; r++) {
      for (int q = 0; q < full.length; q++) {
        deltas[r][q] = full[q] - loo[r][q];
      }
    }
    return deltas;
  }

  /**
   * The LOO correlation (see {@link LooCorrelation}) of scores against this ground truth. The
   * scores may hold any training rows (all n, or just the removed ones) and the queries in any
   * order; rows and queries are matched by id.
   *
   * @param scoreTrainIds example id of each score row, length n'
   * @param scoreQueryIds query id of each score column, length m'
   * @param scores τ, n' x m' {@code [train][query]}
   * @param target {@code margin} or {@code neg-loss}; must be the target the scores explain
   * @return per query in this ground truth's query order, and the summary
   * @throws IllegalArgumentException if a removed example has no score row, or the query sets
   *     differ
   */
  public LooCorrelation.Result correlate(long[] scoreTrainIds, long[] scoreQueryIds,
      float[][] scores, String target) {
    Map<Long, Integer> rowOf = indexOf(scoreTrainIds, "score row example");
    Map<Long, Integer> columnOf = indexOf(scoreQueryIds, "score query");
    if (scoreQueryIds.length != queryIds.length || !columnOf.keySet().containsAll(
        Arrays.stream(queryIds).boxed().toList())) {
      throw new IllegalArgumentException("LOO: the scores have " + scoreQueryIds.length
          + " queries and the ground truth " + queryIds.length + ", not the same ids: score the"
          + " queries the ground truth was computed on");
    }
    // Only the K removed rows enter the correlation: gather them, columns in our query order.
    float[][] used = new float[removedIds.length][queryIds.length];
    int[] rows = new int[removedIds.length];
    for (int r = 0; r < removedIds.length; r++) {
      Integer row = rowOf.get(removedIds[r]);
      if (row == null) {
        throw new IllegalArgumentException("LOO: removed example_id=" + removedIds[r]
            + " has no score row: the scores must cover the training examples of the ground"
            + " truth");
      }
      for (int q = 0; q < queryIds.length; q++) {
        used[r][q] = scores[row][columnOf.get(queryIds[q])];
      }
      rows[r] = r;
    }
    return LooCorrelation.evaluate(used, rows, deltas(target));
  }

  private static Map<Long, Integer> indexOf(long[] ids, String what) {
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (index.put(ids[i], i) != null) {
        throw new IllegalArgumentException("LOO: " + what + " id " + ids[i]
            + " occurs twice: expected distinct ids");
      }
    }
    return index;
  }

  private static void requireDistinct(String what, long[] ids) {
    Set<Long> seen = new HashSet<>();
    for (long id : ids) {
      if (!seen.add(id)) {
        throw new IllegalArgumentException(
            "LOO ground truth: " + what + " id " + id + " occurs twice: expected distinct ids");
      }
    }
  }
}
