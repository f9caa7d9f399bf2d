package dev.ascribe.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.linalg.Factorized.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole kernel step (batched Gram sums, Cholesky, eigenvalues, eigenvectors, solves) on a
 * problem large enough to exercise the blocked code paths. Timing at k = 2048 is a benchmark's job.
 */
class KernelAtScaleTest {
  private static final int K = 256;
  private static final int N = 640;
  private static final int BATCH = 128;

  @Test
  void gramCholeskyAndEigendecompositionAgree() {
    GramAccumulator gram = new GramAccumulator(K);
    SplittableRandom random = new SplittableRandom(256);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int start = 0; start < N; start += BATCH) {
        float[] batch = new float[BATCH * K];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = (float) Fixtures.nextGaussian(random);
        }
        try (NDManager scope = manager.newSubManager()) {
          gram.add(scope.create(batch, new Shape(BATCH, K)));
        }
      }
    }
    Kernel kernel = Kernel.of(gram);
    Factorized chol = kernel.factorize(1e-3);
    double mean = kernel.meanNonZeroEigenvalue();
    EigenBasis basis = kernel.eigenBasis();
    double[][] queries = new double[64][K];
    for (double[] q : queries) {
      for (int j = 0; j < K; j++) {
        q[j] = Fixtures.nextGaussian(random);
      }
    }
    double[][] solved = chol.solve(queries);
    assertEquals(N, gram.count());
    assertEquals(Method.CHOLESKY, chol.method());
    // Standard normal features: E[F] = I, so the mean eigenvalue (trace/k at full rank) is near 1.
    assertEquals(K, basis.rank());
    assertEquals(1.0, mean, 0.1);
    double[] residual = Fixtures.times(Fixtures.shifted(kernel, 1e-3), solved[0]);
    assertTrue(Fixtures.maxAbsDiff(residual, queries[0]) <= 1e-9 * Fixtures.maxAbs(queries[0]),
        "(F + λI) K⁻¹ q = q");
  }
}
