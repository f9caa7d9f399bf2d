package dev.ascribe.core.linalg;

import static dev.ascribe.core.linalg.Fixtures.gaussianRows;
import static dev.ascribe.core.linalg.Fixtures.kernelOf;
import static dev.ascribe.core.linalg.Fixtures.maxAbsDiff;
import static dev.ascribe.core.linalg.Fixtures.times;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The mean-scale kernel F = G/n and its spectrum, on closed-form and random cases. */
class KernelTest {

  @Test
  void diagonalMeanNonZeroEigenvalueByHand() {
    // G = diag(8, 4, 0, 0) from n = 2 rows: F = diag(4, 2, 0, 0), non-zero mean (4 + 2)/2 = 3.
    Kernel kernel = Kernel.of(diagonal(8, 4, 0, 0), 4, 2);
    assertArrayEquals(new double[] {4, 2, 0, 0}, kernel.eigenvalues(), 1e-15);
    assertEquals(3.0, kernel.meanNonZeroEigenvalue(), 1e-15);
    assertEquals(2, kernel.eigenBasis().rank());
  }

  @Test
  void rotatedDiagonalHasTheSameMeanNonZeroEigenvalue() {
    // Two orthonormal rows scaled by 2 and √2: F = Φᵀ Φ / 1 has eigenvalues 4, 2, 0, 0, 0.
    double[] q1 = {0.5, 0.5, 0.5, 0.5, 0};
    double[] q2 = {0.5, -0.5, 0.5, -0.5, 0};
    double[] gram = new double[25];
    for (int a = 0; a < 5; a++) {
      for (int b = 0; b < 5; b++) {
        gram[a * 5 + b] = 4 * q1[a] * q1[b] + 2 * q2[a] * q2[b];
      }
    }
    Kernel kernel = Kernel.of(gram, 5, 1);
    assertEquals(3.0, kernel.meanNonZeroEigenvalue(), 1e-12);
    assertEquals(4.0, kernel.eigenvalues()[0], 1e-12);
    assertEquals(2, kernel.eigenBasis().rank());
  }

  @Test
  void fullRankMeanEigenvalueIsTheTraceOverK() {
    Kernel kernel = kernelOf(gaussianRows(40, 6, 21));
    double[] f = kernel.meanGram();
    double trace = 0;
    for (int i = 0; i < 6; i++) {
      trace += f[i * 6 + i];
    }
    assertEquals(trace / 6, kernel.meanNonZeroEigenvalue(), 1e-12 * trace);
  }

  @Test
  void eigenBasisDiagonalizesTheKernel() {
    Kernel kernel = kernelOf(gaussianRows(12, 8, 22));
    EigenBasis basis = kernel.eigenBasis();
    DMatrixRMaj f = DMatrixRMaj.wrap(8, 8, kernel.meanGram());
    double[] values = basis.values();
    for (int j = 0; j < 8; j++) {
      if (j > 0) {
        assertTrue(values[j] <= values[j - 1], "descending");
      }
      double[] u = basis.vector(j);
      double[] fu = times(f, u);
      for (int i = 0; i < 8; i++) {
        assertEquals(values[j] * u[i], fu[i], 1e-12 * values[0], "F u_j = σ_j u_j");
      }
      for (int l = 0; l < 8; l++) {
        assertEquals(j == l ? 1 : 0, Fixtures.dot(u, basis.vector(l)), 1e-12, "UᵀU = I");
      }
    }
    double[] rowMajor = basis.vectors();
    assertEquals(basis.vector(3)[5], rowMajor[5 * 8 + 3], "column j of the row-major U is u_j");
    assertSame(basis, kernel.eigenBasis(), "computed once");
    // The values-only path (another kernel, same matrix) agrees with the full decomposition.
    Kernel fresh = Kernel.of(kernel.meanGram(), 8, 1);
    assertTrue(maxAbsDiff(fresh.eigenvalues(), values) <= 1e-12 * values[0]);
  }

  @Test
  void zeroKernelHasNoMeanEigenvalue() {
    Kernel kernel = Kernel.of(new double[9], 3, 5);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, kernel::meanNonZeroEigenvalue);
    assertTrue(e.getMessage().startsWith("the kernel has no non-zero eigenvalue"), e.getMessage());
  }

  @Test
  void zeroRuleThreshold() {
    assertEquals(4 * 10 * 1e-12, EigenBasis.zeroTolerance(4, 10), 1e-30);
    assertEquals(0, EigenBasis.zeroTolerance(-1e-20, 10));
    // 1e-10 · 4 is above 4 · 4 · 1e-12: kept; 1e-12 · 4 is not.
    Kernel kernel = Kernel.of(diagonal(4, 4e-10, 4e-12, 0), 4, 1);
    assertEquals(2, kernel.eigenBasis().rank());
    assertEquals((4 + 4e-10) / 2, kernel.meanNonZeroEigenvalue(), 1e-15);
  }

  @Test
  void invalidGramIsRejected() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> Kernel.of(new double[4], 2, 0));
    assertEquals("kernel needs at least one feature row: n given 0 (were the features of this"
        + " model empty?)", empty.getMessage());
    IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
        () -> Kernel.of(new double[] {1, 2, 3, 4}, 2, 1));
    assertEquals("kernel matrix is not symmetric: entry (0, 1) = 2.0 but (1, 0) = 3.0",
        asym.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Kernel.of(new double[5], 2, 1));
    assertTrue(size.getMessage().startsWith("kernel matrix has 5 entries"), size.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Kernel.of(new double[] {Double.NaN}, 1, 1));
    assertEquals("kernel entry (0, 0) is NaN: must be finite", nan.getMessage());
  }

  static double[] diagonal(double... d) {
    int k = d.length;
    double[] m = new double[k * k];
    for (int i = 0; i < k; i++) {
      m[i * k + i] = d[i];
    }
    return m;
  }
}
