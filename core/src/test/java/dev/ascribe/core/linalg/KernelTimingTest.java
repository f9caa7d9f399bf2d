package dev.ascribe.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.linalg.Factorized.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel step at TRAK's projection dim k = 2048 (DESIGN.md asks to measure it): prints the
 * time of each stage and checks the results; no timing assertion (performance belongs in
 * benchmarks).
 */
class KernelTimingTest {
  private static final int K = 2048;
  private static final int N = 2560;
  private static final int BATCH = 512;

  @Test
  void gramCholeskyAndEigendecompositionAtK2048() {
    long t0 = System.nanoTime();
    GramAccumulator gram = new GramAccumulator(K);
    SplittableRandom random = new SplittableRandom(2048);
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
    long t1 = System.nanoTime();
    Kernel kernel = Kernel.of(gram);
    Factorized chol = kernel.factorize(1e-3);
    long t2 = System.nanoTime();
    double mean = kernel.meanNonZeroEigenvalue();
    long t3 = System.nanoTime();
    EigenBasis basis = kernel.eigenBasis();
    long t4 = System.nanoTime();
    double[][] queries = new double[64][K];
    for (double[] q : queries) {
      for (int j = 0; j < K; j++) {
        q[j] = Fixtures.nextGaussian(random);
      }
    }
    double[][] solved = chol.solve(queries);
    long t5 = System.nanoTime();
    System.out.printf("linalg timing k=%d n=%d: gram (DJL float64 matMul, %d batches) %.2f s,"
            + " Cholesky %.2f s, eigenvalues only %.2f s, eigenvectors too %.2f s,"
            + " solve of 64 queries %.3f s%n",
        K, N, N / BATCH, sec(t0, t1), sec(t1, t2), sec(t2, t3), sec(t3, t4), sec(t4, t5));

    assertEquals(N, gram.count());
    assertEquals(Method.CHOLESKY, chol.method());
    // Standard normal features: E[F] = I, so the mean eigenvalue (trace/k at full rank) is near 1.
    assertEquals(K, basis.rank());
    assertEquals(1.0, mean, 0.01);
    double[] residual = Fixtures.times(Fixtures.shifted(kernel, 1e-3), solved[0]);
    assertTrue(Fixtures.maxAbsDiff(residual, queries[0]) <= 1e-9 * Fixtures.maxAbs(queries[0]),
        "(F + λI) K⁻¹ q = q");
  }

  private static double sec(long from, long to) {
    return (to - from) / 1e9;
  }
}
