package dev.ascribe.core.linalg;

import static dev.ascribe.core.linalg.Fixtures.dot;
import static dev.ascribe.core.linalg.Fixtures.gaussianRows;
import static dev.ascribe.core.linalg.Fixtures.kernelOf;
import static dev.ascribe.core.linalg.Fixtures.maxAbs;
import static dev.ascribe.core.linalg.Fixtures.maxAbsDiff;
import static dev.ascribe.core.linalg.Fixtures.shifted;
import static dev.ascribe.core.linalg.Fixtures.times;
import static dev.ascribe.core.linalg.Fixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.linalg.Factorized.Method;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** K⁻¹ = (F + λI)⁻¹ against explicit inverses and the Moore–Penrose pseudo-inverse. */
class FactorizedTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void solveAndQuadraticFormMatchTheExplicitInverse() {
    Kernel kernel = kernelOf(gaussianRows(20, 6, 31));
    double[][] queries = toDoubleRows(gaussianRows(4, 6, 32));
    for (double lambda : new double[] {0, 1e-3, 0.5, 10}) {
      Factorized f = kernel.factorize(lambda);
      assertEquals(Method.CHOLESKY, f.method(), "full rank: Cholesky at lambda " + lambda);
      assertEquals(6, f.rank());
      DMatrixRMaj inverse = new DMatrixRMaj(6, 6);
      assertTrue(CommonOps_DDRM.invert(shifted(kernel, lambda), inverse));
      double[][] solved = f.solve(queries);
      for (int q = 0; q < queries.length; q++) {
        double[] expected = times(inverse, queries[q]);
        assertTrue(maxAbsDiff(expected, solved[q]) <= 1e-10 * maxAbs(expected),
            "lambda " + lambda + " query " + q);
        assertArrayEquals(solved[q], f.solve(queries[q]));
        double form = dot(queries[q], expected);
        assertEquals(form, f.quadraticForm(queries[q]), 1e-10 * form);
      }
    }
  }

  @Test
  void floatAndNdArrayQueriesAgreeWithDoubleQueries() {
    Kernel kernel = kernelOf(gaussianRows(30, 5, 33));
    Factorized f = kernel.factorize(0.2);
    float[][] queries = gaussianRows(3, 5, 34);
    double[][] reference = f.solve(toDoubleRows(queries));
    assertArrayEquals(reference, f.solve(queries));
    try (NDManager scope = manager.newSubManager()) {
      NDArray single = f.solve(scope.create(queries));
      assertEquals(DataType.FLOAT32, single.getDataType());
      assertEquals(new Shape(3, 5), single.getShape());
      float[] values = single.toFloatArray();
      for (int q = 0; q < 3; q++) {
        for (int j = 0; j < 5; j++) {
          assertEquals((float) reference[q][j], values[q * 5 + j], "float32 of the float64 solve");
        }
      }
      NDArray dbl = f.solve(scope.create(toDoubleRows(queries)));
      assertEquals(DataType.FLOAT64, dbl.getDataType());
      assertArrayEquals(flatten(reference), dbl.toDoubleArray());
    }
    assertEquals(f.quadraticForm(toDouble(queries[1])), f.quadraticForm(queries[1]));
  }

  @Test
  void rankDeficientKernelWithoutDampingUsesThePseudoInverse() {
    float[][] rows = gaussianRows(3, 8, 35);
    Kernel kernel = kernelOf(rows);
    Factorized f = kernel.factorize(0);
    assertEquals(Method.EIGEN_PSEUDO_INVERSE, f.method());
    assertEquals("eigen-pseudo-inverse", f.method().toString());
    assertEquals(3, f.rank());
    DMatrixRMaj pinv = new DMatrixRMaj(8, 8);
    CommonOps_DDRM.pinv(DMatrixRMaj.wrap(8, 8, kernel.meanGram()), pinv);
    DMatrixRMaj fMatrix = DMatrixRMaj.wrap(8, 8, kernel.meanGram());
    for (double[] v : toDoubleRows(gaussianRows(3, 8, 36))) {
      double[] x = f.solve(v);
      for (double xi : x) {
        assertTrue(Double.isFinite(xi));
      }
      double[] expected = times(pinv, v);
      assertTrue(maxAbsDiff(expected, x) <= 1e-8 * maxAbs(expected),
          "Moore–Penrose: " + maxAbsDiff(expected, x) + " of " + maxAbs(expected));
      double form = dot(v, expected);
      assertEquals(form, f.quadraticForm(v), 1e-8 * form);
      assertTrue(f.quadraticForm(v) >= 0);
    }
    // On the range of F (combinations of the feature rows) the pseudo-inverse inverts exactly.
    double[] inRange = new double[8];
    for (int j = 0; j < 8; j++) {
      inRange[j] = 0.7 * rows[0][j] - 1.3 * rows[2][j];
    }
    double[] back = times(fMatrix, f.solve(inRange));
    assertTrue(maxAbsDiff(inRange, back) <= 1e-9 * maxAbs(inRange), "F F⁺ v = v on the range");
  }

  @Test
  void rankDeficientKernelWithDampingUsesCholesky() {
    Kernel kernel = kernelOf(gaussianRows(3, 8, 35));
    Factorized f = kernel.factorize(0.1);
    assertEquals(Method.CHOLESKY, f.method());
    assertEquals("cholesky", f.method().toString());
    DMatrixRMaj inverse = new DMatrixRMaj(8, 8);
    assertTrue(CommonOps_DDRM.invert(shifted(kernel, 0.1), inverse));
    double[] v = toDouble(gaussianRows(1, 8, 37)[0]);
    double[] expected = times(inverse, v);
    assertTrue(maxAbsDiff(expected, f.solve(v)) <= 1e-10 * maxAbs(expected));
  }

  @Test
  void zeroKernelWithoutDampingHasTheZeroPseudoInverse() {
    Factorized f = Kernel.of(new double[16], 4, 3).factorize(0);
    assertEquals(Method.EIGEN_PSEUDO_INVERSE, f.method());
    assertEquals(0, f.rank());
    assertArrayEquals(new double[4], f.solve(new double[] {1, 2, 3, 4}));
    assertEquals(0, f.quadraticForm(new float[] {1, 2, 3, 4}));
  }

  @Test
  void relativeLambdaResolvesAgainstTheMeanEigenvalue() {
    Kernel kernel = Kernel.of(KernelTest.diagonal(8, 4, 0, 0), 4, 2);
    Factorized f = kernel.factorize(LambdaSpec.parse("0.5x"));
    assertEquals(1.5, f.lambda(), 1e-15);
    // K = diag(5.5, 3.5, 1.5, 1.5) by hand.
    assertArrayEquals(new double[] {1 / 5.5, 2 / 3.5, 3 / 1.5, 4 / 1.5},
        f.solve(new double[] {1, 2, 3, 4}), 1e-15);
  }

  @Test
  void invalidLambdaAndQueriesAreRejected() {
    Kernel kernel = kernelOf(gaussianRows(10, 3, 38));
    assertEquals("lambda given -1.0: must be >= 0",
        assertThrows(IllegalArgumentException.class, () -> kernel.factorize(-1)).getMessage());
    assertEquals("lambda given NaN: must be a finite number >= 0",
        assertThrows(IllegalArgumentException.class, () -> kernel.factorize(Double.NaN))
            .getMessage());
    assertEquals("lambda given Infinity: must be a finite number >= 0",
        assertThrows(IllegalArgumentException.class,
            () -> kernel.factorize(Double.POSITIVE_INFINITY)).getMessage());
    Factorized f = kernel.factorize(1);
    assertEquals("query 1 has length 2: expected k = 3",
        assertThrows(IllegalArgumentException.class,
            () -> f.solve(new double[][] {{1, 2, 3}, {1, 2}})).getMessage());
    assertEquals("query 0 has NaN at column 1: features must be finite",
        assertThrows(IllegalArgumentException.class,
            () -> f.quadraticForm(new float[] {0, Float.NaN, 0})).getMessage());
    try (NDManager scope = manager.newSubManager()) {
      assertEquals("query features have shape (2, 4): expected (m, 3), rows = queries",
          assertThrows(IllegalArgumentException.class,
              () -> f.solve(scope.zeros(new Shape(2, 4)))).getMessage());
    }
  }

  static double[][] toDoubleRows(float[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = toDouble(rows[i]);
    }
    return out;
  }

  private static double[] flatten(double[][] rows) {
    int k = rows[0].length;
    double[] flat = new double[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * k, k);
    }
    return flat;
  }
}
