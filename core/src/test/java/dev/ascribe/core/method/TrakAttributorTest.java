package dev.ascribe.core.method;

import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.loopGradients;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.project.Projection;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * TRAK against DESIGN.md's closed form, recomputed independently: loop gradients, the projection's
 * reference entries, an LU inverse from Commons Math and q from softmax probabilities.
 */
class TrakAttributorTest {
  @Test
  void matchesTheClosedFormWithTwoModels() {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(6, 3);
    Dataset train = tiny(20, 6, 3, 5, "train");
    Dataset queries = tiny(4, 6, 3, 6, "queries");
    List<Checkpoint> cps = List.of(checkpoint(arch, 7), checkpoint(arch, 8));
    AttributionTask task = AttributionTask.builder().setCheckpoints(cps).optBatchSize(8).build();
    double lambda = 0.05;
    TrakAttributor trak = new TrakAttributor(task, TrakOptions.builder().optProjectionDim(5)
        .optProjectionSeed(3).optLambda(LambdaSpec.absolute(lambda)).build());
    ScoreMatrix s = trak.attribute(train, queries);

    int n = train.size();
    int m = queries.size();
    int k = 5;
    double[][] expected = new double[n][m];
    double[] qbar = new double[n];
    for (int c = 0; c < cps.size(); c++) {
      Projection p = trak.projection(c);
      double[][] phi = project(p, loopGradients(cps.get(c), train, ModelOutputs.margin()), k);
      double[][] psi = project(p, loopGradients(cps.get(c), queries, ModelOutputs.margin()), k);
      RealMatrix kernel = new Array2DRowRealMatrix(phi).transpose()
          .multiply(new Array2DRowRealMatrix(phi)).scalarMultiply(1.0 / n);
      for (int j = 0; j < k; j++) {
        kernel.addToEntry(j, j, lambda);
      }
      RealMatrix inv = new LUDecomposition(kernel).getSolver().getInverse();
      RealMatrix scores = new Array2DRowRealMatrix(phi).multiply(inv)
          .multiply(new Array2DRowRealMatrix(psi).transpose());
      double[] p1 = trueClassProbabilities(cps.get(c), train);
      for (int i = 0; i < n; i++) {
        qbar[i] += (1 - p1[i]) / cps.size();
        for (int q = 0; q < m; q++) {
          expected[i][q] += scores.getEntry(i, q) / cps.size();
        }
      }
    }
    double scale = 0;
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < m; q++) {
        expected[i][q] *= qbar[i];
        scale = Math.max(scale, Math.abs(expected[i][q]));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < m; q++) {
        assertEquals(expected[i][q], s.get(i, q), 1e-4 * scale, "score " + i + "," + q);
      }
    }
  }

  @Test
  void selfInfluenceIsNonNegative() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0);
    Dataset train = tiny(30, 6, 3, 9, "train");
    AttributionTask task = AttributionTask.builder()
        .setCheckpoints(List.of(checkpoint(arch, 1), checkpoint(arch, 2))).build();
    for (double lambda : new double[] {0, 0.01, 1}) {
      ScoreMatrix s = new TrakAttributor(task, TrakOptions.builder().optProjectionDim(8)
          .optLambda(LambdaSpec.absolute(lambda)).build()).attribute(train, train);
      for (int i = 0; i < train.size(); i++) {
        assertTrue(s.get(i, i) >= -1e-6, "lambda " + lambda + ": self-influence " + s.get(i, i));
      }
    }
  }

  @Test
  void selfInfluenceIsTheDiagonalOfTheLossMeasuredScores() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0);
    Dataset train = tiny(25, 6, 3, 11, "train");
    AttributionTask task = AttributionTask.builder()
        .setCheckpoints(List.of(checkpoint(arch, 3), checkpoint(arch, 4)))
        .optTarget(ModelOutputs.negLoss()).build();
    for (InnerProductAttributor method : List.of(
        new TrakAttributor(task, TrakOptions.builder().optProjectionDim(7)
            .optLambda(LambdaSpec.absolute(0.05)).build()),
        (InnerProductAttributor) new GradDotAttributor(task, null))) {
      InnerProductAttributor.Fitted fitted = method.cache(train);
      ScoreMatrix full = fitted.attribute(train);
      float[] self = fitted.selfInfluence();
      for (int i = 0; i < train.size(); i++) {
        assertEquals(full.get(i, i), self[i], 1e-4 * Math.abs(full.get(i, i)) + 1e-7,
            method.method() + " example " + i);
        assertTrue(self[i] >= 0, method.method() + " self-influence " + self[i]);
      }
    }
  }

  @Test
  void badOptionsAreRejected() {
    assertEquals("TRAK option projection.dim given 0: must be >= 1",
        assertThrows(IllegalArgumentException.class,
            () -> TrakOptions.builder().optProjectionDim(0).build()).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LambdaSpec.parse("-1"))
        .getMessage().contains("lambda given '-1'"));
  }

  /** Rows of P g with P from the projection's reference entries. */
  static double[][] project(Projection p, double[][] grads, int k) {
    double[][] out = new double[grads.length][k];
    for (int i = 0; i < grads.length; i++) {
      for (int r = 0; r < k; r++) {
        double sum = 0;
        for (int j = 0; j < grads[i].length; j++) {
          sum += p.entry(r, j) * grads[i][j];
        }
        out[i][r] = sum;
      }
    }
    return out;
  }

  static double[] trueClassProbabilities(Checkpoint c, Dataset data) {
    try (NDManager m = NDManager.newBaseManager(); Model net = c.open(m)) {
      float[] logits = net.logits(Inputs.features(data, Inputs.range(0, data.size()), m))
          .toFloatArray();
      int classes = c.spec().numClasses();
      double[] p = new double[data.size()];
      for (int i = 0; i < p.length; i++) {
        double z = 0;
        for (int j = 0; j < classes; j++) {
          z += Math.exp(logits[i * classes + j]);
        }
        p[i] = Math.exp(logits[i * classes + data.label(i)]) / z;
      }
      return p;
    }
  }
}
