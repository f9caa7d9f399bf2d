package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LooGroundTruthTest {
  // The hand case of LooCorrelationTest, as raw outputs: removed ids 10, 12, 14; queries 100,
  // 101, 102. Δ [removed][query] = {{0.5, -0.2, 1}, {0.4, 0.2, 1}, {1.5, 0.0, 1}}.
  private static final double[] FULL = {2, 1, 3};
  private static final double[][] LOO = {{1.5, 1.2, 2}, {1.6, 0.8, 2}, {0.5, 1.0, 2}};
  private static final LooGroundTruth TRUTH = new LooGroundTruth(new long[] {10, 12, 14},
      new long[] {100, 101, 102}, new double[] {-1, -1, -1}, FULL,
      new double[][] {{-1, -1, -2}, {-1, -1, -1}, {-1, -1, -1}}, LOO);

  @Test
  void correlatesTheRemovedRowsScoresMatchedById() {
    // Score rows in another order, with a row that was not removed; queries reversed.
    long[] rowIds = {14, 11, 12, 10};
    long[] queryIds = {102, 101, 100};
    float[][] scores = {{2, 2, 3}, {9, 9, 9}, {1, 1, 2}, {0, 3, 1}};
    LooCorrelation.Result r = TRUTH.correlate(rowIds, queryIds, scores, "margin");
    assertEquals(1 / Math.sqrt(1.48), r.perQuery()[0], 1e-12);
    assertEquals(-1, r.perQuery()[1], 1e-12);
    assertTrue(Double.isNaN(r.perQuery()[2]));
    assertEquals(2, r.summary().count());
    // neg-loss reads logp: only query 2 varies there, Δ = [1, 0, 0] against τ = [0, 1, 2]:
    // dx = [-1, 0, 1], dy = [2/3, -1/3, -1/3], r = -1 / sqrt(2 * 2/3) = -√3/2.
    LooCorrelation.Result negLoss = TRUTH.correlate(rowIds, queryIds, scores, "neg-loss");
    assertEquals(1, negLoss.summary().count());
    assertEquals(-Math.sqrt(3) / 2, negLoss.perQuery()[2], 1e-12);
  }

  @Test
  void mismatchedScoresAndTargetsAreRejected() {
    float[][] scores = {{1, 1, 1}, {2, 2, 2}};
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TRUTH.correlate(
        new long[] {10, 12}, new long[] {100, 101, 102}, scores, "margin")).getMessage()
        .contains("removed example_id=14 has no score row"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TRUTH.correlate(
        new long[] {10, 12}, new long[] {100, 101, 103}, scores, "margin")).getMessage()
        .contains("not the same ids"));
    assertEquals("LOO target given 'loss': expected margin or neg-loss",
        assertThrows(IllegalArgumentException.class, () -> TRUTH.deltas("loss")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LooGroundTruth(new long[] {1, 1},
        new long[] {5}, new double[1], new double[1], new double[2][1], new double[2][1]));
  }
}
