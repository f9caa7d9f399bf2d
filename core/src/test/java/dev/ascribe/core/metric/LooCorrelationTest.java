package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LooCorrelationTest {
  private static final double NAN = Double.NaN;
  // n = 5 training rows, 3 queries, [train][query]. Rows 1 and 3 are not removed: their NaNs
  // must never be read.
  private static final double[][] SCORES = {
    {1, 3, 0},
    {NAN, NAN, NAN},
    {2, 1, 1},
    {NAN, NAN, NAN},
    {3, 2, 2},
  };
  private static final int[] REMOVED = {0, 2, 4};
  // Δ [removed][query] = f(q; θ_S) - f(q; θ_{S∖{i}}); query 2's differences are constant.
  private static final double[][] DELTAS = {{0.5, -0.2, 1}, {0.4, 0.2, 1}, {1.5, 0.0, 1}};

  // Query 0: τ = [1, 2, 3], mean 2: dx = [-1, 0, 1]; Δ = [0.5, 0.4, 1.5], mean 0.8:
  //   dy = [-0.3, -0.4, 0.7]. Σ dx dy = 0.3 + 0 + 0.7 = 1; Σ dx² = 2; Σ dy² = 0.09 + 0.16 +
  //   0.49 = 0.74. r = 1 / sqrt(1.48) ≈ 0.821995.
  private static final double LOO_0 = 1 / Math.sqrt(1.48);
  // Query 1: τ = [3, 1, 2], Δ = [-0.2, 0.2, 0.0] = 0.4 - 0.2 τ exactly, a falling line: r = -1.
  private static final double LOO_1 = -1;

  @Test
  void handCase() {
    LooCorrelation.Result r = LooCorrelation.evaluate(SCORES, REMOVED, DELTAS);
    assertEquals(LOO_0, r.perQuery()[0], 1e-14);
    assertEquals(LOO_1, r.perQuery()[1], 1e-14);
    assertTrue(Double.isNaN(r.perQuery()[2])); // constant Δ: skipped
    // Two values: mean (a + b)/2, standard error |a - b|/2.
    assertEquals((LOO_0 + LOO_1) / 2, r.summary().mean(), 1e-14);
    assertEquals((LOO_0 - LOO_1) / 2, r.summary().stdError(), 1e-14);
    assertEquals(2, r.summary().count());
    assertEquals(1, r.summary().skipped());
  }

  @Test
  void floatScoresGiveTheSameResult() {
    float[][] floats = new float[SCORES.length][3];
    for (int i = 0; i < SCORES.length; i++) {
      for (int q = 0; q < 3; q++) {
        floats[i][q] = (float) SCORES[i][q];
      }
    }
    LooCorrelation.Result r = LooCorrelation.evaluate(floats, REMOVED, DELTAS);
    assertEquals(LOO_0, r.perQuery()[0], 1e-14);
    assertEquals(LOO_1, r.perQuery()[1], 1e-14);
  }

  @Test
  void badInputsAreRejectedWithShapesAndIndices() {
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, REMOVED, new double[][] {{1, 2, 3}, {4, 5, 6}}),
        "deltas is 2 x 3 but expected 3 x 3", "3 removed", "scores are 5 x 3 [train][query]");
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, new int[] {0, 5, 2}, DELTAS),
        "removed holds training row 5 at position 1", "[0, 5)");
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, new int[] {0, 2, 0}, DELTAS),
        "removed holds training row 0 twice");
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, new int[] {0}, new double[][] {{1, 2, 3}}),
        "LOO given 1 removed points");
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, new int[] {0, 1, 2}, DELTAS),
        "scores of the removed points[1][0] is NaN");
    assertMessage(
        () -> LooCorrelation.evaluate(SCORES, REMOVED, new double[][] {{0, 0, 0}, {0, NAN, 0},
            {0, 0, 0}}),
        "deltas[1][1] is NaN");
  }

  private static void assertMessage(Executable call, String... expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
