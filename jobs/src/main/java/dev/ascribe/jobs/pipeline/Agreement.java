package dev.ascribe.jobs.pipeline;

import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.TopKScores;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * DESIGN.md's agreement between two runs of a stage that partitioned differently: full scores
 * within max|Δ| ≤ 1e-5 · max|s|, the same top-K up to swaps of scores tied within that tolerance,
 * and ground truth equal within 1e-9. Each check throws a {@link Disagreement} naming the first
 * place that disagrees. Used by {@code ascribe compare} and the cluster integration test.
 */
public final class Agreement {
  /** Two runs disagree beyond the tolerance; the message names the first place. */
  public static final class Disagreement extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Disagreement(String message) {
      super(message);
    }
  }

  /**
   * How two full score matrices compare.
   *
   * @param maxAbs max|s| of the expected scores
   * @param maxDiff max|Δ| over all entries
   * @param tolerance 1e-5 · max|s|
   */
  public record Report(double maxAbs, double maxDiff, double tolerance) {}

  /** Relative tolerance of scores (DESIGN.md). */
  public static final double SCORE_TOLERANCE = 1e-5;
  /** Absolute tolerance of ground-truth log p and margins. */
  public static final double GROUND_TRUTH_TOLERANCE = 1e-9;

  private Agreement() {}

  /**
   * Checks full score matrices (rows = training examples, columns = queries) and returns the
   * largest difference and the tolerance used, 1e-5 · max|s| of {@code expected}.
   */
  public static Report fullScores(FullScores expected, FullScores actual) {
    same("scores/full example ids", expected.exampleIds(), actual.exampleIds());
    same("scores/full query ids", expected.queryIds(), actual.queryIds());
    double maxAbs = 0;
    for (float[] row : expected.scores()) {
      for (float s : row) {
        maxAbs = Math.max(maxAbs, Math.abs(s));
      }
    }
    double tol = SCORE_TOLERANCE * maxAbs;
    double worst = -1;
    String where = "";
    for (int i = 0; i < expected.scores().length; i++) {
      for (int j = 0; j < expected.queryIds().length; j++) {
        double d = Math.abs((double) expected.scores()[i][j] - actual.scores()[i][j]);
        if (d > worst) {
          worst = d;
          where = "example_id=" + expected.exampleIds()[i] + ", query_id=" + expected.queryIds()[j];
        }
      }
    }
    if (worst > tol) {
      throw new Disagreement("scores/full: max|Δ| = " + worst + " at " + where
          + " exceeds 1e-5 · max|s| = " + tol);
    }
    return new Report(maxAbs, worst, tol);
  }

  /**
   * Checks top-K tables row by row: same (query, kind, rank) rows, scores within {@code tol}, and
   * where the example ids differ, the two examples' scores tied within {@code tol}: looked up in
   * {@code full}, the expected full scores; or, for runs that wrote no full scores ({@code full}
   * null), the example must be in the expected selection with a score tied within {@code tol}, or
   * be at its last rank, where a tie may cut between examples the table does not show.
   */
  public static void topK(TopKScores expected, TopKScores actual, FullScores full, double tol) {
    if (expected.size() != actual.size()) {
      throw new Disagreement("scores/topk: " + expected.size() + " rows expected, "
          + actual.size() + " found");
    }
    Map<Long, Integer> row = full == null ? null : index(full.exampleIds());
    Map<Long, Integer> column = full == null ? null : index(full.queryIds());
    // Without full scores: each selection's examples with their scores, and its last rank.
    Map<String, Double> listed = new HashMap<>();
    Map<String, Integer> lastRank = new HashMap<>();
    for (int r = 0; r < expected.size(); r++) {
      String selection = expected.queryIds()[r] + " " + expected.kinds()[r];
      listed.put(selection + " " + expected.exampleIds()[r], expected.scores()[r]);
      lastRank.merge(selection, expected.ranks()[r], Math::max);
    }
    for (int r = 0; r < expected.size(); r++) {
      String key = "query_id=" + expected.queryIds()[r] + ", " + expected.kinds()[r].value()
          + " rank " + expected.ranks()[r];
      if (expected.queryIds()[r] != actual.queryIds()[r] || expected.ranks()[r] != actual.ranks()[r]
          || expected.kinds()[r] != actual.kinds()[r]) {
        throw new Disagreement("scores/topk row " + r + ": expected " + key + ", found query_id="
            + actual.queryIds()[r] + ", " + actual.kinds()[r].value() + " rank "
            + actual.ranks()[r]);
      }
      double d = Math.abs(expected.scores()[r] - actual.scores()[r]);
      if (d > tol) {
        throw new Disagreement("scores/topk " + key + ": score " + actual.scores()[r]
            + ", expected " + expected.scores()[r] + " (|Δ| = " + d + " > " + tol + ")");
      }
      long want = expected.exampleIds()[r];
      long got = actual.exampleIds()[r];
      if (want != got && full == null) {
        String selection = expected.queryIds()[r] + " " + expected.kinds()[r];
        Double gotScore = listed.get(selection + " " + got);
        boolean tied = gotScore != null ? Math.abs(gotScore - expected.scores()[r]) <= tol
            : expected.ranks()[r] == lastRank.get(selection);
        if (!tied) {
          throw new Disagreement("scores/topk " + key + ": example_id " + got + " instead of "
              + want + ": not a tie within " + tol + " in the expected top-K (" + (gotScore == null
                  ? "not in it" : "score " + gotScore) + "; no full scores to look it up in)");
        }
      } else if (want != got) {
        Integer i = row.get(got);
        Integer j = column.get(expected.queryIds()[r]);
        double gotScore = i == null || j == null ? Double.NaN : full.scores()[i][j];
        if (!(Math.abs(gotScore - expected.scores()[r]) <= tol)) {
          throw new Disagreement("scores/topk " + key + ": example_id " + got + " (score "
              + gotScore + ") instead of " + want + " (score " + expected.scores()[r]
              + "): not a tie within " + tol);
        }
      }
    }
  }

  /**
   * The tolerance of two runs that wrote top-K only: 1e-5 · max|s| over the expected table, which
   * holds the extreme scores of every query (its top proponent and opponent), hence max|s|.
   */
  public static double topKTolerance(TopKScores expected) {
    double maxAbs = 0;
    for (double s : expected.scores()) {
      maxAbs = Math.max(maxAbs, Math.abs(s));
    }
    return SCORE_TOLERANCE * maxAbs;
  }

  /** Checks ground truth: same models, subsets and queries; log p and margins within 1e-9. */
  public static void groundTruth(GroundTruth expected, GroundTruth actual) {
    if (!Arrays.equals(expected.modelIds(), actual.modelIds())) {
      throw new Disagreement("groundtruth model ids: expected "
          + Arrays.toString(expected.modelIds()) + ", found " + Arrays.toString(actual.modelIds()));
    }
    same("groundtruth query ids", expected.queryIds(), actual.queryIds());
    for (int m = 0; m < expected.modelIds().length; m++) {
      int model = expected.modelIds()[m];
      same("groundtruth subset of model_id=" + model, expected.subsets()[m], actual.subsets()[m]);
      for (int q = 0; q < expected.queryIds().length; q++) {
        String at = "model_id=" + model + ", query_id=" + expected.queryIds()[q];
        close("groundtruth logp at " + at, expected.logp()[m][q], actual.logp()[m][q]);
        close("groundtruth margin at " + at, expected.margin()[m][q], actual.margin()[m][q]);
      }
    }
  }

  private static void close(String what, double expected, double actual) {
    if (!(Math.abs(expected - actual) <= GROUND_TRUTH_TOLERANCE)) {
      throw new Disagreement(what + ": " + actual + ", expected " + expected + " within "
          + GROUND_TRUTH_TOLERANCE);
    }
  }

  private static void same(String what, long[] expected, long[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new Disagreement(what + " differ: expected " + expected.length + " ids "
          + head(expected) + ", found " + actual.length + " ids " + head(actual));
    }
  }

  private static String head(long[] ids) {
    return Arrays.toString(Arrays.copyOf(ids, Math.min(ids.length, 8)))
        + (ids.length > 8 ? "..." : "");
  }

  private static Map<Long, Integer> index(long[] ids) {
    Map<Long, Integer> at = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      at.put(ids[i], i);
    }
    return at;
  }
}
