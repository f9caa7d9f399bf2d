package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class CorrelationsTest {

  @Test
  void spearmanGivesTiesTheirAverageRank() {
    // x = [1, 2, 2, 3] ranks to [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks to [1, 3, 2, 4].
    // Both rank vectors have mean 2.5, so dx = [-1.5, 0, 0, 1.5] and dy = [-1.5, 0.5, -0.5, 1.5].
    // Σ dx dy = 2.25 + 0 + 0 + 2.25 = 4.5; Σ dx² = 4.5; Σ dy² = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    // r = 4.5 / sqrt(4.5 * 5) = sqrt(4.5 / 5) = sqrt(0.9) ≈ 0.948683.
    // (The no-ties shortcut 1 - 6 Σd² / (n(n² - 1)) = 1 - 6 * 0.5 / 60 = 0.95 would be wrong.)
    double r = Correlations.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4});
    assertEquals(Math.sqrt(0.9), r, 1e-15);
  }

  @Test
  void spearmanDependsOnlyOnOrder() {
    double[] x = {0.1, 5, 2, 40};
    double[] cubes = {0.001, 125, 8, 64000};
    double[] reversed = {-0.1, -5, -2, -40};
    assertEquals(1.0, Correlations.spearman(x, cubes), 0.0);
    assertEquals(-1.0, Correlations.spearman(x, reversed), 0.0);
  }

  @Test
  void spearmanAgreesWithCommonsMathOnRandomTiedData() {
    Random random = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      double[] x = new double[30];
      double[] y = new double[30];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextInt(8); // few distinct values: many ties
        y[i] = x[i] + random.nextInt(5);
      }
      double expected = new SpearmansCorrelation().correlation(x, y);
      assertEquals(expected, Correlations.spearman(x, y), 1e-12, "trial " + trial);
    }
  }

  @Test
  void pearsonOnAKnownCase() {
    // x = [1, 2, 3, 4, 5], mean 3: dx = [-2, -1, 0, 1, 2]; y = [2, 4, 5, 4, 5], mean 4:
    // dy = [-2, 0, 1, 0, 1]. Σ dx dy = 4 + 0 + 0 + 0 + 2 = 6; Σ dx² = 10; Σ dy² = 6.
    // r = 6 / sqrt(60) = sqrt(0.6) ≈ 0.774597.
    double r = Correlations.pearson(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5});
    assertEquals(Math.sqrt(0.6), r, 1e-15);
  }

  @Test
  void pearsonKeepsTheDigitsOfCorrelationsNearZero() {
    // x = [1, 2, 3, 4]: dx = [-1.5, -0.5, 0.5, 1.5], Σ dx² = 5. y = [1, -1, -1, 1 + 1e-9]:
    // Σ dx dy = Σ dx y = -1.5 + 0.5 - 0.5 + 1.5 (1 + 1e-9) = 1.5e-9; Σ dy² = 4 + O(1e-9).
    // r = 1.5e-9 / sqrt(5 * 4) ≈ 3.354e-10 (Commons Math's regression-based Pearson returns 0).
    // The tolerance, 3e-6 of r, covers the rounding of 1 + 1e-9 (about 1e-7 of its 1e-9 part).
    double r = Correlations.pearson(new double[] {1, 2, 3, 4}, new double[] {1, -1, -1, 1 + 1e-9});
    assertEquals(1.5e-9 / Math.sqrt(20), r, 1e-15);
    assertEquals(0.0, Correlations.pearson(new double[] {1, 2, 3, 4}, new double[] {1, -1, -1, 1}));
  }

  @Test
  void constantSideGivesNaN() {
    double[] constant = {0.1, 0.1, 0.1};
    double[] varying = {1, 2, 3};
    assertTrue(Double.isNaN(Correlations.spearman(constant, varying)));
    assertTrue(Double.isNaN(Correlations.spearman(varying, constant)));
    assertTrue(Double.isNaN(Correlations.pearson(constant, varying)));
    assertTrue(Double.isNaN(Correlations.pearson(varying, constant)));
  }

  @Test
  void nanPropagatesAndPearsonRejectsInfinity() {
    double[] withNaN = {1, Double.NaN, 3};
    double[] withInf = {1, 2, Double.POSITIVE_INFINITY};
    double[] varying = {1, 2, 3};
    assertTrue(Double.isNaN(Correlations.spearman(withNaN, varying)));
    assertTrue(Double.isNaN(Correlations.pearson(varying, withNaN)));
    assertTrue(Double.isNaN(Correlations.pearson(withInf, varying)));
    // Ranks are defined with infinities: [1, 2, +inf] ranks to [1, 2, 3].
    assertEquals(1.0, Correlations.spearman(withInf, varying), 0.0);
  }

  @Test
  void lengthMismatchAndTooShortAreRejectedWithTheLengths() {
    IllegalArgumentException mismatch =
        assertThrows(
            IllegalArgumentException.class,
            () -> Correlations.spearman(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(mismatch.getMessage().contains("lengths 3 and 2"), mismatch.getMessage());
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> Correlations.pearson(new double[] {1}, new double[] {2}));
    assertTrue(tooShort.getMessage().contains("lengths 1 and 1"), tooShort.getMessage());
    assertTrue(tooShort.getMessage().contains("at least 2"), tooShort.getMessage());
  }
}
