package dev.ascribe.core.metric;

import java.util.Objects;

/**
 * Leave-one-out correlation (DESIGN.md, Metrics; the LOO metric of Deng et al., "dattri: A
 * Library for Efficient Data Attribution", NeurIPS 2024 Datasets and Benchmarks).
 *
 * <p>For K removed training points i_0..i_{K-1} and every query q, with Δ_r(q) = f(q; θ_S) −
 * f(q; θ_{S∖{i_r}}) the drop of the query's output when point i_r is left out of training,
 *
 * <pre>LOO(q) = Pearson over r = 0..K-1 of (τ(q, i_r), Δ_r(q)).</pre>
 *
 * Positive scores mean helpful, and removing a helpful point lowers f, so a good method correlates
 * positively. The summary is the mean over queries (NaN skipped: a query whose scores or
 * differences are constant over the removed points) and its standard error.
 *
 * <p>Shapes: scores n_train x m {@code [train][query]}; removed: K distinct row indices into the
 * scores' rows; deltas K x m {@code [removed][query]}, row r belonging to {@code removed[r]}.
 */
public final class LooCorrelation {

  /**
   * The LOO correlation of every query and their summary. The array is returned, not copied.
   *
   * @param perQuery Pearson correlation per query, length m; {@code NaN} where undefined
   * @param summary mean and standard error over queries, NaN skipped
   */
  public record Result(double[] perQuery, SummaryStat summary) {}

  private LooCorrelation() {}

  /**
   * LOO correlation of scores held as floats.
   *
   * @param scores τ, n_train x m, {@code [train][query]}
   * @param removed K ≥ 2 distinct training row indices in [0, n_train), one per LOO model
   * @param deltas Δ, K x m, {@code [removed][query]}: full-model output minus LOO-model output
   * @throws IllegalArgumentException if K &lt; 2, a shape does not match, an index is out of range
   *     or repeated, or a delta or a used score is not finite
   */
  public static Result evaluate(float[][] scores, int[] removed, double[][] deltas) {
    return evaluate(ScoreRows.of(scores), removed, deltas);
  }

  /** As {@link #evaluate(float[][], int[], double[][])}, with scores held as doubles. */
  public static Result evaluate(double[][] scores, int[] removed, double[][] deltas) {
    return evaluate(ScoreRows.of(scores), removed, deltas);
  }

  private static Result evaluate(ScoreRows scores, int[] removed, double[][] deltas) {
    Objects.requireNonNull(removed, "removed");
    Objects.requireNonNull(deltas, "deltas");
    if (removed.length < 2) {
      throw new IllegalArgumentException(
          "LOO given " + removed.length + " removed points: needs at least 2 to correlate");
    }
    int m = scores.numQueries();
    MatrixChecks.checkMatrix("deltas", deltas, removed.length, m,
        "one row per removed point (" + removed.length + " removed) and one column per query"
            + " (scores are " + scores.shape() + ")");
    MatrixChecks.checkRows("removed", removed, scores.numTrain());
    MatrixChecks.checkFinite("deltas", deltas, "retrain that point's LOO model or drop the point");
    double[][] tau = new double[removed.length][m]; // [removed][query], the scores actually used
    for (int r = 0; r < removed.length; r++) {
      scores.addTo(removed[r], tau[r]);
    }
    MatrixChecks.checkFinite("scores of the removed points", tau, "scores must be finite");

    double[] loo = new double[m];
    double[] x = new double[removed.length];
    double[] y = new double[removed.length];
    for (int q = 0; q < m; q++) {
      for (int r = 0; r < removed.length; r++) {
        x[r] = tau[r][q];
        y[r] = deltas[r][q];
      }
      loo[q] = Correlations.pearson(x, y);
    }
    return new Result(loo, SummaryStat.of(loo));
  }
}
