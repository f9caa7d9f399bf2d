package dev.ascribe.core.metric;

import java.util.Arrays;
import java.util.Objects;

/**
 * Linear Datamodeling Score (Park et al., "TRAK: Attributing Model Behavior at Scale", ICML 2023;
 * DESIGN.md, Metrics).
 *
 * <p>Given attribution scores τ(q, i) for training example i and query q, M training subsets
 * S_j and ground truth y_j(q) = f(q; θ_{S_j}) (the query's output from a model retrained on S_j),
 * the prediction of subset j is ĝ_j(q) = Σ_{i ∈ S_j} τ(q, i), and
 *
 * <pre>LDS(q) = Spearman over j = 0..M-1 of (ĝ_j(q), y_j(q)).</pre>
 *
 * The summary is the mean over queries with {@code NaN}s skipped (a query whose predictions or
 * ground truth are constant over the subsets has no rank correlation) and its standard error.
 *
 * <p>Shapes: scores are n_train x m, indexed {@code [train][query]} (rows = training examples,
 * columns = queries, positive = helpful); subsets are M arrays of distinct row indices into the
 * scores' rows; ground truth and predictions are M x m, indexed {@code [subset][query]}.
 *
 * <p>Cost: Σ_j |S_j| · m additions in double precision, each score row read once (n = 60,000,
 * m = 500, M = 50 takes about 0.5 s on one core), plus m Spearman correlations of length M.
 */
public final class Lds {

  /**
   * The LDS of every query and their summary. Arrays are returned as computed, not copied.
   *
   * @param perQuery LDS per query, length m; {@code NaN} where undefined
   * @param summary mean and standard error over queries, NaN skipped
   * @param predictions ĝ, M x m {@code [subset][query]}: the summed scores of each subset
   */
  public record Result(double[] perQuery, SummaryStat summary, double[][] predictions) {}

  private static final String GROUND_TRUTH_REMEDY =
      "retrain that subset's model, or drop its subset and its ground-truth row";

  private Lds() {}

  /**
   * LDS of scores held as floats (how full score matrices are stored).
   *
   * @param scores τ, n_train x m, {@code [train][query]}
   * @param subsets M ≥ 2 subsets, each of distinct row indices in [0, n_train)
   * @param groundTruth y, M x m, {@code [subset][query]}, finite
   * @throws IllegalArgumentException if fewer than 2 subsets are given, a shape does not match, a
   *     subset index is out of range or repeated, or a ground truth or prediction is not finite
   */
  public static Result evaluate(float[][] scores, int[][] subsets, double[][] groundTruth) {
    return evaluate(ScoreRows.of(scores), subsets, groundTruth);
  }

  /** As {@link #evaluate(float[][], int[][], double[][])}, with scores held as doubles. */
  public static Result evaluate(double[][] scores, int[][] subsets, double[][] groundTruth) {
    return evaluate(ScoreRows.of(scores), subsets, groundTruth);
  }

  /**
   * LDS from predictions summed elsewhere (for example per partition of a distributed score
   * matrix, then added up), so the full score matrix never has to be in one place.
   *
   * @param predictions ĝ, M x m {@code [subset][query]}, M ≥ 2, finite
   * @param groundTruth y, M x m {@code [subset][query]}, finite
   * @throws IllegalArgumentException if M &lt; 2, the shapes differ, or a value is not finite
   */
  public static Result fromPredictions(double[][] predictions, double[][] groundTruth) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(groundTruth, "groundTruth");
    checkSubsetCount(predictions.length);
    int m = predictions[0].length;
    MatrixChecks.checkMatrix("predictions", predictions, predictions.length, m,
        "one row per subset, every row of the same length");
    MatrixChecks.checkMatrix("groundTruth", groundTruth, predictions.length, m,
        "the shape of predictions, " + predictions.length + " x " + m + " [subset][query]");
    MatrixChecks.checkFinite("predictions", predictions, "they are sums of finite scores");
    MatrixChecks.checkFinite("groundTruth", groundTruth, GROUND_TRUTH_REMEDY);
    return correlate(predictions, groundTruth);
  }

  private static Result evaluate(ScoreRows scores, int[][] subsets, double[][] groundTruth) {
    Objects.requireNonNull(subsets, "subsets");
    Objects.requireNonNull(groundTruth, "groundTruth");
    checkSubsetCount(subsets.length);
    int m = scores.numQueries();
    MatrixChecks.checkMatrix("groundTruth", groundTruth, subsets.length, m,
        "one row per subset (" + subsets.length + " subsets) and one column per query (scores are "
            + scores.shape() + ")");
    for (int j = 0; j < subsets.length; j++) {
      Objects.requireNonNull(subsets[j], "subsets[" + j + "]");
      MatrixChecks.checkRows("subset " + j, subsets[j], scores.numTrain());
    }
    MatrixChecks.checkFinite("groundTruth", groundTruth, GROUND_TRUTH_REMEDY);
    double[][] predictions = predict(scores, subsets);
    MatrixChecks.checkFinite("predictions", predictions,
        "a score of a training row in that subset is not finite");
    return correlate(predictions, groundTruth);
  }

  /**
   * ĝ [subset][query]. Training rows are the outer loop so that each row of the (large) score
   * matrix is read from memory once and added to every subset holding it, while the M x m
   * accumulators stay in cache; for each (subset, query) the sum runs over rows in ascending order.
   */
  private static double[][] predict(ScoreRows scores, int[][] subsets) {
    int n = scores.numTrain();
    // Membership in compressed rows: the subsets holding row i are members[start[i] .. start[i+1]).
    int[] start = new int[n + 1];
    for (int[] subset : subsets) {
      for (int i : subset) {
        start[i + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      start[i + 1] += start[i];
    }
    int[] members = new int[start[n]];
    int[] fill = Arrays.copyOf(start, n);
    for (int j = 0; j < subsets.length; j++) {
      for (int i : subsets[j]) {
        members[fill[i]++] = j;
      }
    }
    double[][] predictions = new double[subsets.length][scores.numQueries()];
    for (int i = 0; i < n; i++) {
      for (int p = start[i]; p < start[i + 1]; p++) {
        scores.addTo(i, predictions[members[p]]);
      }
    }
    return predictions;
  }

  private static Result correlate(double[][] predictions, double[][] groundTruth) {
    int numSubsets = predictions.length;
    int m = predictions[0].length;
    double[] lds = new double[m];
    double[] g = new double[numSubsets];
    double[] y = new double[numSubsets];
    for (int q = 0; q < m; q++) {
      for (int j = 0; j < numSubsets; j++) {
        g[j] = predictions[j][q];
        y[j] = groundTruth[j][q];
      }
      lds[q] = Correlations.spearman(g, y);
    }
    return new Result(lds, SummaryStat.of(lds), predictions);
  }

  private static void checkSubsetCount(int numSubsets) {
    if (numSubsets < 2) {
      throw new IllegalArgumentException(
          "LDS given " + numSubsets + " subsets: needs at least 2 to rank (DESIGN.md uses 50)");
    }
  }
}
