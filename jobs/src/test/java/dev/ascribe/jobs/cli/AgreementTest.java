package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.pipeline.Agreement;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.score.TopK;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.TopKScores;
import org.junit.jupiter.api.Test;

/** The cluster test's agreement checks on hand-made tables. */
class AgreementTest {
  private static final long[] EXAMPLES = {10, 11, 12};
  private static final long[] QUERIES = {0};
  private static final TopK.Kind P = TopK.Kind.PROPONENT;

  private static FullScores full(float a, float b, float c) {
    return new FullScores(EXAMPLES, QUERIES, new float[][] {{a}, {b}, {c}});
  }

  private static TopKScores top(long first, double s1, long second, double s2) {
    return new TopKScores(new long[] {0, 0}, new int[] {1, 2}, new long[] {first, second},
        new double[] {s1, s2}, new TopK.Kind[] {P, P});
  }

  @Test
  void fullScoresWithinTheRelativeToleranceAgree() {
    FullScores expected = full(100f, 50f, -1f);
    assertEquals(1e-3, Agreement.fullScores(expected, full(100.0005f, 50f, -1f)).tolerance(), 1e-12);
    Agreement.Disagreement e = assertThrows(Agreement.Disagreement.class,
        () -> Agreement.fullScores(expected, full(100f, 50.01f, -1f)));
    assertTrue(e.getMessage().contains("at example_id=11, query_id=0"), e.getMessage());
  }

  @Test
  void topKAllowsSwapsOfTiedScoresOnly() {
    FullScores tied = full(5f, 5.000001f, 1f);
    double tol = 1e-4;
    TopKScores expected = top(11, 5.000001, 10, 5.0);
    assertDoesNotThrow(() -> Agreement.topK(expected, top(10, 5.0, 11, 5.000001), tied, tol));
    FullScores apart = full(5f, 6f, 1f);
    Agreement.Disagreement e = assertThrows(Agreement.Disagreement.class, () -> Agreement.topK(
        top(11, 6, 10, 5), top(12, 6, 10, 5), apart, tol));
    assertTrue(e.getMessage().contains("example_id 12 (score 1.0) instead of 11"), e.getMessage());
  }

  @Test
  void topKWithoutFullScoresAllowsSwapsWithinTheSelectionAndAtItsCut() {
    double tol = 1e-4;
    TopKScores expected = top(11, 5.000001, 10, 5.0);
    assertDoesNotThrow(() -> Agreement.topK(expected, top(10, 5.0, 11, 5.000001), null, tol),
        "two tied examples swapped within the selection");
    assertDoesNotThrow(() -> Agreement.topK(expected, top(11, 5.000001, 12, 5.0), null, tol),
        "a tie at the last rank may cut to an example the table does not show");
    Agreement.Disagreement e = assertThrows(Agreement.Disagreement.class,
        () -> Agreement.topK(expected, top(12, 5.000001, 10, 5.0), null, tol));
    assertTrue(e.getMessage().contains("example_id 12 instead of 11: not a tie within 1.0E-4 in"
        + " the expected top-K (not in it"), e.getMessage());
    assertEquals(1e-5 * 5.000001, Agreement.topKTolerance(expected), 1e-12);
  }

  @Test
  void groundTruthNeedsTheSameSubsetsAndValuesWithin1e9() {
    GroundTruth a = new GroundTruth(new int[] {0}, new long[][] {{10, 12}}, QUERIES,
        new double[][] {{-0.5}}, new double[][] {{2.0}});
    GroundTruth close = new GroundTruth(new int[] {0}, new long[][] {{10, 12}}, QUERIES,
        new double[][] {{-0.5 + 1e-12}}, new double[][] {{2.0}});
    GroundTruth off = new GroundTruth(new int[] {0}, new long[][] {{10, 12}}, QUERIES,
        new double[][] {{-0.5}}, new double[][] {{2.0 + 1e-6}});
    GroundTruth otherSubset = new GroundTruth(new int[] {0}, new long[][] {{10, 11}}, QUERIES,
        new double[][] {{-0.5}}, new double[][] {{2.0}});
    assertDoesNotThrow(() -> Agreement.groundTruth(a, close));
    assertTrue(assertThrows(Agreement.Disagreement.class, () -> Agreement.groundTruth(a, off))
        .getMessage().startsWith("groundtruth margin at model_id=0, query_id=0"));
    assertTrue(assertThrows(Agreement.Disagreement.class, () -> Agreement.groundTruth(a, otherSubset))
        .getMessage().startsWith("groundtruth subset of model_id=0 differ"));
  }
}
