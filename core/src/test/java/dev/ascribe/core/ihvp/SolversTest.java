package dev.ascribe.core.ihvp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.HessianVectorProduct;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** Every inverse-HVP solver against the explicit inverse (Commons Math LU) on small problems. */
class SolversTest {
  static final int D = 12;

  @Test
  void explicitEqualsTheLuInverse() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 4, 1);
    double lambda = 0.05;
    double[][] v = vectors(3, D, 2);
    double[][] x = ExplicitInverse.fit(a, lambda, 100).solve(v);
    double[][] expected = luSolve(a.matrix(), lambda, v);
    for (int j = 0; j < v.length; j++) {
      assertArrayEquals(expected[j], x[j], 1e-10 * norm(expected[j]));
    }
  }

  @Test
  void conjugateGradientsConvergeToTheExplicitInverse() {
    // Full rank with spread eigenvalues, so that CG needs all d steps.
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 2 * D, 3);
    double lambda = 0.01;
    double[][] v = vectors(2, D, 4);
    double[][] expected = luSolve(a.matrix(), lambda, v);
    double previous = Double.POSITIVE_INFINITY;
    for (int iterations : new int[] {1, 3, 6, D}) {
      double[][] x = new ConjugateGradient(a, lambda,
          new ConjugateGradient.Options(iterations, 1e-14)).solve(v);
      double error = relativeError(expected, x);
      assertTrue(error < previous, iterations + " iterations: error " + error);
      previous = error;
    }
    // In exact arithmetic CG is exact after d steps.
    assertTrue(previous < 1e-8, "error after d iterations " + previous);
  }

  @Test
  void lissaConvergesToTheExplicitInverse() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 4, 5);
    double lambda = 0.2;
    double[][] v = vectors(2, D, 6);
    double[][] expected = luSolve(a.matrix(), lambda, v);
    double scale = 2 * a.largestEigenvalue() + lambda;
    double previous = Double.POSITIVE_INFINITY;
    for (int depth : new int[] {5, 50, 500, 5000}) {
      double[][] x = new Lissa(a, lambda, new Lissa.Options(scale, depth, 1, 0)).solve(v);
      double error = relativeError(expected, x);
      assertTrue(error < previous, depth + " steps: error " + error);
      previous = error;
    }
    assertTrue(previous < 1e-8, "error after 5000 steps " + previous);
  }

  @Test
  void lissaWithMiniBatchesConvergesInTheMean() {
    // Mini-batch curvatures whose mean is A: the average over repeats approaches the inverse.
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 4, 7).withNoisyBatches(0.3, 8);
    double lambda = 0.3;
    double[][] v = vectors(1, D, 9);
    double[][] expected = luSolve(a.matrix(), lambda, v);
    Lissa.Options auto = new Lissa.Options(Double.NaN, 400, 20, 11);
    Lissa lissa = new Lissa(a, lambda, auto);
    assertTrue(lissa.scale() > a.largestEigenvalue(), "auto scale " + lissa.scale());
    double error = relativeError(expected, lissa.solve(v));
    assertTrue(error < 0.05, "error " + error);
  }

  @Test
  void arnoldiWithFullRankEqualsExplicit() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, D + 3, 13);
    double lambda = 0.02;
    double[][] v = vectors(3, D, 14);
    double[][] expected = ExplicitInverse.fit(a, lambda, 100).solve(v);
    double[][] x = Arnoldi.fit(a, lambda, new Arnoldi.Options(D, D, 0)).solve(v);
    for (int j = 0; j < v.length; j++) {
      assertArrayEquals(expected[j], x[j], 1e-8 * norm(expected[j]));
    }
  }

  @Test
  void arnoldiWithLowRankKeepsTheTopEigenpairs() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, D + 3, 15);
    double lambda = 0.1;
    int rank = 4;
    Arnoldi arnoldi = Arnoldi.fit(a, lambda, new Arnoldi.Options(D, rank, 1));
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(a.matrix()));
    double[] sorted = eig.getRealEigenvalues().clone();
    java.util.Arrays.sort(sorted);
    for (int r = 0; r < rank; r++) {
      assertEquals(sorted[D - 1 - r], arnoldi.eigenvalues()[r], 1e-9 * sorted[D - 1]);
    }
    // Truncated inverse: Σ_top u uᵀ v / (σ + λ), computed from Commons Math's eigenvectors.
    double[][] v = vectors(1, D, 16);
    double[] expected = new double[D];
    for (int i = 0; i < D; i++) {
      double sigma = eig.getRealEigenvalue(i);
      if (sigma < sorted[D - rank] - 1e-12) {
        continue;
      }
      double[] u = eig.getEigenvector(i).toArray();
      double c = Vectors.dot(u, v[0]) / (sigma + lambda);
      Vectors.axpy(c, u, expected);
    }
    assertArrayEquals(expected, arnoldi.solve(v)[0], 1e-8 * norm(expected));
  }

  @Test
  void divergenceIsReportedWithTheOptionToChange() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 4, 17);
    double[][] v = vectors(1, D, 18);
    String lissa = assertThrows(SolverDivergedException.class, () -> new Lissa(a, 0.01,
        new Lissa.Options(0.2 * a.largestEigenvalue(), 500, 1, 0)).solve(v)).getMessage();
    assertTrue(lissa.contains("raise if-lissa.scale"), lissa);

    MatrixCurvature indefinite = MatrixCurvature.indefinite(D, 19);
    String cg = assertThrows(SolverDivergedException.class, () -> new ConjugateGradient(
        indefinite, 0, new ConjugateGradient.Options(50, 1e-10)).solve(v)).getMessage();
    assertTrue(cg.contains("non-positive curvature") && cg.contains("Raise lambda"), cg);
    String explicit = assertThrows(SolverDivergedException.class,
        () -> ExplicitInverse.fit(indefinite, 0, 100)).getMessage();
    assertTrue(explicit.contains("not positive definite") && explicit.contains("raise lambda"),
        explicit);
  }

  @Test
  void badOptionsAreRejectedClearly() {
    MatrixCurvature a = MatrixCurvature.randomPsd(D, 4, 20);
    assertEquals("option lambda given -1.0 for if-cg: must be finite and >= 0",
        assertThrows(IllegalArgumentException.class, () -> new ConjugateGradient(a, -1,
            new ConjugateGradient.Options(5, 1e-6))).getMessage());
    assertEquals("option if-arnoldi.rank given 30: must be between 1 and if-arnoldi.iterations"
        + " = 20", assertThrows(IllegalArgumentException.class,
            () -> new Arnoldi.Options(20, 30, 0)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Lissa.Options(-2, 10, 1,
        0)).getMessage().contains("if-lissa.scale given -2.0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExplicitInverse.fit(a, 0.1, 5)).getMessage().contains("if-explicit.max-dim = 5"));
  }

  @Test
  void explicitOnTheLogisticHessianEqualsTheAnalyticInverse() {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(4, 3);
    Dataset data = dev.ascribe.core.grad.HessianVectorProductTest.dataset(40, 4, 3, 21);
    Checkpoint cp = dev.ascribe.core.grad.HessianVectorProductTest.checkpoint(arch, 22);
    double[][] h = dev.ascribe.core.grad.HessianVectorProductTest.analyticLogisticHessian(cp,
        data);
    double lambda = 0.01;
    double[][] v = vectors(2, arch.numParameters(), 23);
    try (HessianVectorProduct hvp = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), new HessianVectorProduct.Options(DataType.FLOAT64, 16, 8))) {
      double[][] x = ExplicitInverse.fit(new HessianCurvature(hvp, Inputs.range(0,
          data.size()), 8, 0), lambda, 1000).solve(v);
      double[][] expected = luSolve(h, lambda, v);
      for (int j = 0; j < v.length; j++) {
        assertArrayEquals(expected[j], x[j], 1e-8 * norm(expected[j]));
      }
    }
  }

  static double[][] luSolve(double[][] a, double lambda, double[][] v) {
    RealMatrix m = new Array2DRowRealMatrix(a);
    for (int i = 0; i < a.length; i++) {
      m.addToEntry(i, i, lambda);
    }
    RealMatrix inv = new LUDecomposition(m).getSolver().getInverse();
    double[][] out = new double[v.length][];
    for (int j = 0; j < v.length; j++) {
      out[j] = inv.operate(v[j]);
    }
    return out;
  }

  static double[][] vectors(int m, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] v = new double[m][d];
    for (double[] row : v) {
      for (int i = 0; i < d; i++) {
        row[i] = rng.nextGaussian();
      }
    }
    return v;
  }

  static double relativeError(double[][] expected, double[][] actual) {
    double num = 0;
    double den = 0;
    for (int j = 0; j < expected.length; j++) {
      for (int i = 0; i < expected[j].length; i++) {
        double e = expected[j][i] - actual[j][i];
        num += e * e;
        den += expected[j][i] * expected[j][i];
      }
    }
    return Math.sqrt(num / den);
  }

  static double norm(double[] v) {
    return Vectors.norm(v);
  }
}
