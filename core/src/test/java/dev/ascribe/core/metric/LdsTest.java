package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LdsTest {
  // n = 4 training rows, 3 queries; [train][query]. Query 2's column only feeds the NaN case.
  private static final double[][] SCORES = {
    {1, 4, 0.5},
    {2, -1, 0.25},
    {3, 0, 1},
    {-1, 2, 2},
  };
  private static final int[][] SUBSETS = {{0, 1}, {1, 2}, {0, 3}};
  // Predictions ĝ_j = sum of the subset's rows:
  //   ĝ_0 = row0 + row1 = [3,  3, 0.75]
  //   ĝ_1 = row1 + row2 = [5, -1, 1.25]
  //   ĝ_2 = row0 + row3 = [0,  6, 2.5 ]
  private static final double[][] PREDICTIONS = {{3, 3, 0.75}, {5, -1, 1.25}, {0, 6, 2.5}};
  // Ground truth [subset][query]; query 2 is constant over the subsets.
  private static final double[][] GROUND_TRUTH = {{0.1, 0.7, 5}, {0.9, 0.2, 5}, {0.4, 0.7, 5}};

  // Query 0: ĝ = [3, 5, 0] ranks [2, 3, 1]; y = [0.1, 0.9, 0.4] ranks [1, 3, 2].
  //   Rank means 2: dx = [0, 1, -1], dy = [-1, 1, 0]; Σ dx dy = 1, Σ dx² = Σ dy² = 2 → 1/2.
  private static final double LDS_0 = 0.5;
  // Query 1: ĝ = [3, -1, 6] ranks [2, 1, 3]; y = [0.7, 0.2, 0.7] ranks [2.5, 1, 2.5] (tie).
  //   dx = [0, -1, 1], dy = [0.5, -1, 0.5]; Σ dx dy = 0 + 1 + 0.5 = 1.5; Σ dx² = 2;
  //   Σ dy² = 0.25 + 1 + 0.25 = 1.5 → 1.5 / sqrt(3) = sqrt(3)/2 ≈ 0.866025.
  private static final double LDS_1 = Math.sqrt(3) / 2;

  @Test
  void handCase() {
    Lds.Result r = Lds.evaluate(SCORES, SUBSETS, GROUND_TRUTH);
    for (int j = 0; j < PREDICTIONS.length; j++) {
      assertArrayEquals(PREDICTIONS[j], r.predictions()[j], 1e-15, "subset " + j);
    }
    assertEquals(LDS_0, r.perQuery()[0], 1e-15);
    assertEquals(LDS_1, r.perQuery()[1], 1e-15);
    // Query 2: ground truth [5, 5, 5] is constant, so its LDS is NaN and left out of the mean.
    assertTrue(Double.isNaN(r.perQuery()[2]));
    // Mean of two values (a + b)/2; sample std |a - b|/sqrt(2), over sqrt(2): |a - b|/2.
    assertEquals((LDS_0 + LDS_1) / 2, r.summary().mean(), 1e-15);
    assertEquals((LDS_1 - LDS_0) / 2, r.summary().stdError(), 1e-15);
    assertEquals(2, r.summary().count());
    assertEquals(1, r.summary().skipped());
  }

  @Test
  void floatScoresAndPrecomputedPredictionsGiveTheSameResult() {
    float[][] floats = new float[SCORES.length][];
    for (int i = 0; i < SCORES.length; i++) {
      floats[i] = new float[SCORES[i].length];
      for (int q = 0; q < SCORES[i].length; q++) {
        floats[i][q] = (float) SCORES[i][q]; // all exactly representable
      }
    }
    double[] expected = Lds.evaluate(SCORES, SUBSETS, GROUND_TRUTH).perQuery();
    assertArrayEquals(expected, Lds.evaluate(floats, SUBSETS, GROUND_TRUTH).perQuery(), 0.0);
    assertArrayEquals(expected, Lds.fromPredictions(PREDICTIONS, GROUND_TRUTH).perQuery(), 0.0);
  }

  @Test
  void groundTruthEqualToThePredictionsOrAMonotoneMapOfThemGivesOne() {
    int n = 200;
    int m = 5;
    Random random = new Random(3);
    double[][] scores = new double[n][m];
    for (double[] row : scores) {
      for (int q = 0; q < m; q++) {
        row[q] = random.nextGaussian();
      }
    }
    int[][] subsets = new int[20][];
    for (int j = 0; j < subsets.length; j++) {
      subsets[j] = Subsets.halfSubset(n, 0.5, 99, j);
    }
    double[][] same = new double[20][m];
    double[][] exp = new double[20][m];
    for (int j = 0; j < 20; j++) {
      for (int i : subsets[j]) {
        for (int q = 0; q < m; q++) {
          same[j][q] += scores[i][q];
        }
      }
      for (int q = 0; q < m; q++) {
        exp[j][q] = Math.exp(same[j][q]); // Spearman sees only the order
      }
    }
    for (double[][] truth : new double[][][] {same, exp}) {
      Lds.Result r = Lds.evaluate(scores, subsets, truth);
      for (int j = 0; j < 20; j++) {
        assertArrayEquals(same[j], r.predictions()[j], 1e-12, "subset " + j);
      }
      for (int q = 0; q < m; q++) {
        assertEquals(1.0, r.perQuery()[q], 1e-12, "query " + q);
      }
      assertEquals(1.0, r.summary().mean(), 1e-12);
      assertEquals(m, r.summary().count());
    }
  }

  @Test
  void shapeErrorsNameTheShapes() {
    assertMessage(
        () -> Lds.evaluate(SCORES, SUBSETS, new double[][] {{1, 2}, {3, 4}, {5, 6}}),
        "groundTruth is 3 x 2 but expected 3 x 3", "scores are 4 x 3 [train][query]");
    assertMessage(
        () -> Lds.evaluate(SCORES, SUBSETS, new double[][] {{1, 2, 3}, {4, 5, 6}}),
        "groundTruth is 2 x 3 but expected 3 x 3", "3 subsets");
    assertMessage(
        () -> Lds.evaluate(SCORES, SUBSETS, new double[][] {{1, 2, 3}, {4, 5}, {6, 7, 8}}),
        "groundTruth is 3 rows of lengths [3, 2, 3] but expected 3 x 3");
    assertMessage(
        () -> Lds.evaluate(new double[][] {{1, 2}, {3}}, new int[][] {{0}, {1}}, GROUND_TRUTH),
        "scores row 1 has 1 values but row 0 has 2");
    assertMessage(
        () -> Lds.fromPredictions(PREDICTIONS, new double[][] {{1, 2}, {3, 4}, {5, 6}}),
        "groundTruth is 3 x 2 but expected 3 x 3");
  }

  @Test
  void badSubsetsAreRejectedNamingTheSubsetAndTheValue() {
    assertMessage(
        () -> Lds.evaluate(SCORES, new int[][] {{0, 1}, {2, 4}, {3}}, GROUND_TRUTH),
        "subset 1 holds training row 4 at position 1", "[0, 4)");
    assertMessage(
        () -> Lds.evaluate(SCORES, new int[][] {{0, 1}, {2}, {-1}}, GROUND_TRUTH),
        "subset 2 holds training row -1 at position 0");
    assertMessage(
        () -> Lds.evaluate(SCORES, new int[][] {{0, 1}, {3, 2, 3}, {3}}, GROUND_TRUTH),
        "subset 1 holds training row 3 twice");
    assertMessage(
        () -> Lds.evaluate(SCORES, new int[][] {{0, 1}}, new double[][] {{1, 2, 3}}),
        "LDS given 1 subsets: needs at least 2");
  }

  @Test
  void nonFiniteInputsAreRejectedWhereTheyMatter() {
    double[][] truth = {{0.1, 0.7, 5}, {Double.NaN, 0.2, 5}, {0.4, 0.7, 5}};
    assertMessage(() -> Lds.evaluate(SCORES, SUBSETS, truth), "groundTruth[1][0] is NaN");
    double[][] scores = {{1, 4, 0.5}, {2, -1, 0.25}, {3, Double.POSITIVE_INFINITY, 1}, {-1, 2, 2}};
    // Row 2 is in subset 1 only.
    assertMessage(
        () -> Lds.evaluate(scores, SUBSETS, GROUND_TRUTH), "predictions[1][1] is Infinity");
    // A non-finite score in a row no subset uses does not matter.
    double[][] unused = {{1, 4, 0.5}, {2, -1, 0.25}, {3, 0, 1}, {-1, 2, 2}, {Double.NaN, 0, 0}};
    assertEquals(LDS_0, Lds.evaluate(unused, SUBSETS, GROUND_TRUTH).perQuery()[0], 1e-15);
  }

  private static void assertMessage(Executable call, String... expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
