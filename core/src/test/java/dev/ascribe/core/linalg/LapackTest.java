package dev.ascribe.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** LAPACK's decompositions against their definitions and Commons Math on the same matrices. */
class LapackTest {
  private static final int K = 120;

  @Test
  void eigenpairsSatisfyTheirDefinitionAndMatchCommonsMath() {
    double[] a = symmetric(K, 1, false);
    double[] vectors = a.clone();
    double[] values = new double[K];
    Lapack.symmetricEigen(vectors, K, true, values);
    double norm = Arrays.stream(a).map(Math::abs).max().orElseThrow() * K;
    for (int j = 0; j < K; j++) {
      if (j > 0) {
        assertTrue(values[j] >= values[j - 1], "ascending at " + j);
      }
      for (int i = 0; i < K; i++) {
        double av = 0;
        for (int l = 0; l < K; l++) {
          av += a[i * K + l] * vectors[l * K + j];
        }
        assertEquals(values[j] * vectors[i * K + j], av, 1e-12 * norm, "A u = σ u at " + j);
      }
      for (int l = 0; l <= j; l++) {
        double dot = 0;
        for (int i = 0; i < K; i++) {
          dot += vectors[i * K + j] * vectors[i * K + l];
        }
        assertEquals(l == j ? 1 : 0, dot, 1e-12, "orthonormal columns " + l + ", " + j);
      }
    }
    double[] reference = new EigenDecomposition(matrix(a, K)).getRealEigenvalues();
    Arrays.sort(reference);
    assertArrayEquals(reference, values, 1e-11 * norm);
    double[] only = new double[K];
    Lapack.symmetricEigen(a.clone(), K, false, only);
    assertArrayEquals(values, only, 1e-12 * norm);
  }

  @Test
  void eigenBasisIsDescendingWithMatchingVectors() {
    double[] a = symmetric(K, 2, true);
    EigenBasis basis = EigenBasis.of(a, K);
    double[] ascending = new double[K];
    Lapack.symmetricEigen(a.clone(), K, false, ascending);
    for (int j = 0; j < K; j++) {
      assertEquals(ascending[K - 1 - j], basis.value(j), 1e-12 * basis.value(0));
      double[] u = basis.vector(j);
      for (int i = 0; i < K; i++) {
        double av = 0;
        for (int l = 0; l < K; l++) {
          av += a[i * K + l] * u[l];
        }
        assertEquals(basis.value(j) * u[i], av, 1e-11 * basis.value(0));
      }
    }
  }

  @Test
  void sameInputGivesBitIdenticalOutput() {
    double[] a = symmetric(K, 3, true);
    assertEquals(EigenBasis.of(a, K), EigenBasis.of(a, K));
    double[] l1 = a.clone();
    double[] l2 = a.clone();
    Lapack.choleskyLower(l1, K);
    Lapack.choleskyLower(l2, K);
    assertArrayEquals(l1, l2);
  }

  @Test
  void choleskyReconstructsAndSolvesLikeLu() {
    double[] a = symmetric(K, 4, true);
    double[] l = a.clone();
    assertTrue(Lapack.choleskyLower(l, K));
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < K; j++) {
        if (j > i) {
          assertEquals(0, l[i * K + j], "zero above the diagonal");
        }
        double s = 0;
        for (int p = 0; p <= Math.min(i, j); p++) {
          s += l[i * K + p] * l[j * K + p];
        }
        assertEquals(a[i * K + j], s, 1e-12 * K, "L Lᵀ = A at " + i + ", " + j);
      }
    }
    int columns = 3;
    SplittableRandom random = new SplittableRandom(5);
    double[] b = new double[K * columns];
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextDouble(-1, 1);
    }
    double[] x = new double[K * columns]; // column-major: column c holds b's column c
    for (int i = 0; i < K; i++) {
      for (int c = 0; c < columns; c++) {
        x[c * K + i] = b[i * columns + c];
      }
    }
    // The column-major factor of the (symmetric) matrix is the row-major one, transposed, to the
    // last bit: the same dpotrf, without LAPACKE's copy.
    double[] lColumns = a.clone();
    assertTrue(Lapack.choleskyColumns(lColumns, K));
    for (int i = 0; i < K; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(l[i * K + j], lColumns[j * K + i], "L at " + i + ", " + j);
      }
    }
    Lapack.choleskySolveColumns(lColumns, K, x, columns);
    RealMatrix reference = new LUDecomposition(matrix(a, K)).getSolver()
        .solve(rows(b, K, columns));
    for (int i = 0; i < K; i++) {
      for (int c = 0; c < columns; c++) {
        assertEquals(reference.getEntry(i, c), x[c * K + i], 1e-9);
      }
    }
  }

  @Test
  void choleskyReportsAMatrixThatIsNotPositiveDefinite() {
    double[] a = symmetric(K, 6, false);
    assertFalse(Lapack.choleskyColumns(a.clone(), K));
    assertFalse(Lapack.choleskyLower(a, K));
  }

  @Test
  void wrongSizesAreRefusedWithTheExpectedShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Lapack.symmetricEigen(new double[10], 3, true, new double[3]));
    assertTrue(e.getMessage().contains("expected k·k for k = 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Lapack.choleskySolveColumns(new double[9], 3, new double[5], 2));
    assertTrue(e.getMessage().contains("expected k·columns = 6"), e.getMessage());
  }

  @Test
  void productMatchesTheTripleLoopWithEveryTransposition() {
    SplittableRandom random = new SplittableRandom(7);
    int m = 7;
    int inner = 5;
    int n = 4;
    double[] a = new double[m * inner]; // m x inner
    double[] b = new double[inner * n]; // inner x n
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextDouble(-1, 1);
    }
    double[] expected = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < inner; p++) {
          expected[i * n + j] += a[i * inner + p] * b[p * n + j];
        }
      }
    }
    double[] at = transpose(a, m, inner);
    double[] bt = transpose(b, inner, n);
    assertArrayEquals(expected, Lapack.product(a, m, inner, false, b, inner, n, false), 1e-14);
    assertArrayEquals(expected, Lapack.product(at, inner, m, true, b, inner, n, false), 1e-14);
    assertArrayEquals(expected, Lapack.product(a, m, inner, false, bt, n, inner, true), 1e-14);
    assertArrayEquals(expected, Lapack.product(at, inner, m, true, bt, n, inner, true), 1e-14);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Lapack.product(a, m, inner, false, a, m, inner, false));
    assertTrue(e.getMessage().contains("inner dimensions differ"), e.getMessage());
  }

  @Test
  void threadCountPropertyIsParsedOrRefusedByName() {
    assertEquals(6, Lapack.parseThreads(null, 6));
    assertEquals(3, Lapack.parseThreads(" 3 ", 6));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Lapack.parseThreads("two", 6));
    assertEquals("system property ascribe.linalg.threads is 'two': expected a whole number of"
        + " threads >= 1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Lapack.parseThreads("0", 6));
    assertTrue(Lapack.describe().startsWith("OpenBLAS "), Lapack.describe());
  }

  /** A random symmetric matrix: positive definite (B Bᵀ/k + I/10) or indefinite (B + Bᵀ). */
  private static double[] symmetric(int k, long seed, boolean positiveDefinite) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] b = new double[k * k];
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextDouble(-1, 1);
    }
    double[] a = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        if (positiveDefinite) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += b[i * k + p] * b[j * k + p];
          }
          a[i * k + j] = s / k + (i == j ? 0.1 : 0);
        } else {
          a[i * k + j] = b[i * k + j] + b[j * k + i];
        }
      }
    }
    return a;
  }

  private static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  private static RealMatrix matrix(double[] a, int k) {
    return rows(a, k, k);
  }

  private static RealMatrix rows(double[] a, int r, int c) {
    double[][] out = new double[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(a, i * c, out[i], 0, c);
    }
    return new Array2DRowRealMatrix(out, false);
  }
}
