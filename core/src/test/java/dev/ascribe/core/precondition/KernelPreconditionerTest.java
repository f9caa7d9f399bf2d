package dev.ascribe.core.precondition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.linalg.LambdaSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelPreconditionerTest {
  /** G = Φᵀ Φ of rows Φ (n x k, row-major). */
  private static double[] gram(double[][] phi, int k) {
    double[] g = new double[k * k];
    for (double[] row : phi) {
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          g[a * k + b] += row[a] * row[b];
        }
      }
    }
    return g;
  }

  @Test
  void theKernelsRankIsNotReportedAsTheDirectionsInverted() {
    // n = 2 rows in k = 4 dimensions: F has rank 2, while F + λI is inverted in all 4.
    double[][] phi = {{1, 0, 2, 0}, {0, 1, 0, 3}};
    Map<String, Object> d = KernelPreconditioner.fit(Kernel.of(gram(phi, 4), 4, 2),
        LambdaSpec.absolute(0.1)).describe();
    assertEquals("cholesky", d.get("factorization"));
    assertEquals(4, d.get("inverted_directions"));
    assertEquals("at most 2 (min(n, k); exact rank not computed)", d.get("kernel_rank"));
    assertFalse(d.containsKey("rank"), "no bare rank that reads as the kernel's");
    // λ = 0 takes the eigen path: the exact rank is known then.
    Map<String, Object> exact = KernelPreconditioner.fit(Kernel.of(gram(phi, 4), 4, 2),
        LambdaSpec.absolute(0)).describe();
    assertEquals(2, exact.get("kernel_rank"));
    assertEquals(2, exact.get("inverted_directions"));
    // n >= k with independent rows: full rank, certified without eigenvalues.
    double[][] full = {{1, 0}, {0, 1}, {1, 1}};
    assertEquals(2, KernelPreconditioner.fit(Kernel.of(gram(full, 2), 2, 3),
        LambdaSpec.absolute(0.1)).describe().get("kernel_rank"));
  }
}
