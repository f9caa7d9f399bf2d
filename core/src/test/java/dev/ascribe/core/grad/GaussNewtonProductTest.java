package dev.ascribe.core.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.task.ModelOutputs;
import org.junit.jupiter.api.Test;

/**
 * Gauss-Newton products against their definition (1/n) Σ_i J_iᵀ (diag p_i - p_i p_iᵀ) J_i
 * assembled from one backward pass per example and class, in float64; and against the exact
 * Hessian of logistic regression, which it equals.
 */
public class GaussNewtonProductTest {
  @Test
  void equalsTheExactHessianForLogisticRegression() {
    FeedForwardSpec lr = FeedForwardSpec.logisticRegression(5, 3);
    Dataset data = HessianVectorProductTest.dataset(30, 5, 3, 4);
    Checkpoint cp = HessianVectorProductTest.checkpoint(lr, 5);
    int[] rows = Inputs.range(0, data.size());
    double[][] v = HessianVectorProductTest.directions(3, lr.numParameters(), 6);
    try (GaussNewtonProduct gn = new GaussNewtonProduct(cp, data, rows, 0, DataType.FLOAT64);
        HessianVectorProduct hvp = new HessianVectorProduct(cp, data, rows,
            new HessianVectorProduct.Options(DataType.FLOAT64, 1000, 16))) {
      assertProductsEqual(hvp.apply(v), gn.apply(v), 1e-10);
    }
  }

  @Test
  void equalsItsDefinitionOnAModelWithProbedBlocks() {
    ProbedSequenceNet spec = new ProbedSequenceNet(3, 4, 5, 3);
    Dataset data = HessianVectorProductTest.dataset(14, spec.inputDim(), 3, 8);
    Checkpoint cp = checkpoint(spec, 9);
    int[] rows = Inputs.range(0, data.size());
    int[] subset = {2, 5, 11};
    int d = spec.numParameters();
    double[][] v = HessianVectorProductTest.directions(2, d, 10);
    double[][] g = explicit(cp, data, rows);
    double[][] gSubset = explicit(cp, data, subset);
    int offset = spec.layout().get(3).offset();
    try (GaussNewtonProduct gn = new GaussNewtonProduct(cp, data, rows, 0, DataType.FLOAT64);
        GaussNewtonProduct block = new GaussNewtonProduct(cp, data, rows, offset,
            DataType.FLOAT64)) {
      assertProductsEqual(multiply(g, v, 0), gn.apply(v), 1e-10);
      assertProductsEqual(multiply(gSubset, v, 0), gn.apply(v, subset), 1e-10);
      double[][] tail = new double[2][];
      for (int j = 0; j < 2; j++) {
        tail[j] = java.util.Arrays.copyOfRange(v[j], offset, d);
      }
      assertEquals(d - offset, block.dim());
      assertProductsEqual(multiply(g, tail, offset), block.apply(tail), 1e-10);
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> block.apply(v)).getMessage().contains("the parameter block has " + (d - offset)));
    }
  }

  /** A float32 checkpoint of {@code spec} with its seeded parameters. */
  public static Checkpoint checkpoint(ModelSpec spec, long seed) {
    try (NDManager m = NDManager.newBaseManager(); Model net = spec.initialize(m, seed)) {
      return Checkpoint.of("c" + seed, net);
    }
  }

  /** (1/n) Σ_i J_iᵀ H_i J_i over {@code rows}, J_i row c = ∇ logit_c by one pass per example. */
  public static double[][] explicit(Checkpoint cp, Dataset data, int[] rows) {
    int d = cp.spec().numParameters();
    int classes = cp.spec().numClasses();
    double[][] g = new double[d][d];
    try (NDManager m = NDManager.newBaseManager(); Model net32 = cp.open(m);
        Model net = net32.copy(DataType.FLOAT64)) {
      for (int row : rows) {
        NDArray x = Inputs.features(data, new int[] {row}, m);
        double[] logits = net.logits(x).toDoubleArray();
        double[] p = softmax(logits);
        double[][] jac = new double[classes][];
        for (int c = 0; c < classes; c++) {
          jac[c] = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net, x,
              new int[] {c}, ModelOutputs.logit()).toDoubleArray();
        }
        for (int c = 0; c < classes; c++) {
          for (int e = 0; e < classes; e++) {
            double h = (c == e ? p[c] : 0) - p[c] * p[e];
            if (h == 0) {
              continue;
            }
            for (int a = 0; a < d; a++) {
              double left = h * jac[c][a] / rows.length;
              for (int b = 0; b < d; b++) {
                g[a][b] += left * jac[e][b];
              }
            }
          }
        }
      }
    }
    return g;
  }

  private static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[z.length];
    for (int c = 0; c < z.length; c++) {
      p[c] = Math.exp(z[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < z.length; c++) {
      p[c] /= sum;
    }
    return p;
  }

  /** The block of {@code g} from {@code offset} on times each direction. */
  private static double[][] multiply(double[][] g, double[][] v, int offset) {
    double[][] out = new double[v.length][v[0].length];
    for (int j = 0; j < v.length; j++) {
      for (int a = 0; a < v[j].length; a++) {
        for (int b = 0; b < v[j].length; b++) {
          out[j][a] += g[offset + a][offset + b] * v[j][b];
        }
      }
    }
    return out;
  }

  private static void assertProductsEqual(double[][] expected, double[][] actual, double rel) {
    double scale = 0;
    for (double[] row : expected) {
      for (double x : row) {
        scale = Math.max(scale, Math.abs(x));
      }
    }
    assertTrue(scale > 1e-6, "products are not all zero");
    for (int j = 0; j < expected.length; j++) {
      for (int p = 0; p < expected[j].length; p++) {
        assertEquals(expected[j][p], actual[j][p], rel * scale, "direction " + j + ", entry " + p);
      }
    }
  }
}
