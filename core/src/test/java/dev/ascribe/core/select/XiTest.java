package dev.ascribe.core.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ξ on random PSD problems: in [0, 1], near 0 for tiny λ and near 1 for huge λ. */
class XiTest {
  @Test
  void staysInTheUnitIntervalAndGoesFromZeroToOne() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      int k = 2 + random.nextInt(40);
      double[] sigma = new double[k];
      double[] c2 = new double[k];
      for (int i = 0; i < k; i++) {
        // Spectra spread over six decades, some exact zeros (rank-deficient F).
        sigma[i] = random.nextInt(5) == 0 ? 0 : Math.pow(10, -3 + 6 * random.nextDouble());
        double c = random.nextDouble() * 2 - 1;
        c2[i] = c * c;
      }
      sigma[0] = 1;
      double min = 1e-3;
      for (double lambda = 1e-9; lambda < 1e10; lambda *= 3) {
        double xi = Xi.of(sigma, c2, lambda);
        assertTrue(xi >= 0 && xi <= 1, "xi " + xi + " at lambda " + lambda + ", trial " + trial);
      }
      assertTrue(Xi.of(sigma, c2, min * 1e-6) < 1e-3, "tiny lambda, trial " + trial);
      assertTrue(Xi.of(sigma, c2, 1e9) > 1 - 1e-3, "huge lambda, trial " + trial);
    }
  }

  @Test
  void oneEigenvalueHasTheClosedForm() {
    // One direction: ‖τ‖ ∝ 1/(σ + λ), so ξ = λ / (σ + λ).
    assertEquals(0.25, Xi.of(new double[] {3}, new double[] {2}, 1), 1e-15);
  }

  @Test
  void aQueryWithoutComponentsOnNonZeroEigenvaluesHasNoXi() {
    assertTrue(Double.isNaN(Xi.of(new double[] {1, 0}, new double[] {0, 5}, 1)));
  }
}
