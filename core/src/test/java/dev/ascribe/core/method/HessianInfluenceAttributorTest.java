package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import static dev.ascribe.core.method.GradDotAttributorTest.loopGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.HessianVectorProductTest;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.project.ProjectionKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The Hessian influence methods against τ = g'ᵀ(H + λI)⁻¹ g_i with H the analytic Hessian of
 * logistic regression, g from loop gradients and an LU inverse (Commons Math).
 */
class HessianInfluenceAttributorTest {
  static final FeedForwardSpec LR = FeedForwardSpec.logisticRegression(4, 3);
  static final Dataset TRAIN = HessianVectorProductTest.dataset(40, 4, 3, 31);
  static final Dataset QUERIES = HessianVectorProductTest.dataset(5, 4, 3, 32);
  static final Checkpoint CP = HessianVectorProductTest.checkpoint(LR, 33);
  static final double LAMBDA = 0.05;

  @Test
  void everySolverMatchesTheClosedForm() {
    double[][] expected = closedForm(HessianVectorProductTest.analyticLogisticHessian(CP, TRAIN),
        loopGradients(CP, TRAIN, ModelOutputs.crossEntropy()),
        loopGradients(CP, QUERIES, ModelOutputs.margin()));
    int d = LR.numParameters();
    Map<String, Map<String, String>> methods = Map.of(
        "if-explicit", Map.of(),
        "if-cg", Map.of("iterations", "200", "tolerance", "1e-9"),
        "if-arnoldi", Map.of("iterations", "" + d, "rank", "" + d),
        "if-lissa", Map.of("depth", "3000", "batch", "40"));
    for (Map.Entry<String, Map<String, String>> m : methods.entrySet()) {
      ScoreMatrix s = spec(m.getKey(), m.getValue()).create(List.of(CP), 1)
          .attribute(TRAIN, QUERIES);
      assertClose(expected, s, 2e-4, m.getKey());
    }
  }

  @Test
  void gaussNewtonCurvatureAttributesAModelWithoutWrittenHessianProducts() {
    dev.ascribe.core.grad.ProbedSequenceNet probed =
        new dev.ascribe.core.grad.ProbedSequenceNet(2, 2, 3, 3);
    Dataset train = HessianVectorProductTest.dataset(30, probed.inputDim(), 3, 41);
    Dataset queries = HessianVectorProductTest.dataset(4, probed.inputDim(), 3, 42);
    Checkpoint cp = dev.ascribe.core.grad.GaussNewtonProductTest.checkpoint(probed, 43);
    double[][] expected = closedForm(dev.ascribe.core.grad.GaussNewtonProductTest.explicit(cp,
        train, dev.ascribe.core.model.Inputs.range(0, train.size())),
        loopGradients(cp, train, ModelOutputs.crossEntropy()),
        loopGradients(cp, queries, ModelOutputs.margin()));
    // auto picks gauss-newton for a model without written Hessian products.
    for (Map<String, String> options : List.of(Map.of("iterations", "300", "tolerance", "1e-9"),
        Map.of("curvature", "gauss-newton", "iterations", "300", "tolerance", "1e-9"))) {
      ScoreMatrix s = spec("if-cg", options).create(List.of(cp), 1).attribute(train, queries);
      assertClose(expected, s, 2e-4, "if-cg gauss-newton " + options);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec("if-cg", Map.of("curvature", "hessian")).featureDim(probed));
    assertTrue(e.getMessage().contains("option if-cg.curvature given hessian for model"),
        e.getMessage());
  }

  @Test
  void lastLayerVariantUsesTheLastLayersHessianBlock() {
    FeedForwardSpec mlp = FeedForwardSpec.mlp(4, new int[] {3}, 3, 0);
    Checkpoint cp = HessianVectorProductTest.checkpoint(mlp, 34);
    int offset = mlp.offsetOf(1);
    double[][] g = lastColumns(loopGradients(cp, TRAIN, ModelOutputs.crossEntropy()), offset);
    double[][] q = lastColumns(loopGradients(cp, QUERIES, ModelOutputs.margin()), offset);
    // The last layer's Hessian block is the Gauss-Newton matrix of its inputs: assemble it by
    // finite differences of the mean-loss gradient along unit vectors of that block.
    int k = mlp.numParameters() - offset;
    double[][] h = new double[k][k];
    double eps = 1e-5;
    for (int j = 0; j < k; j++) {
      double[] unit = new double[mlp.numParameters()];
      unit[offset + j] = 1;
      double[] plus = HessianVectorProductTest.meanLossGradient(cp, TRAIN, unit, eps);
      double[] minus = HessianVectorProductTest.meanLossGradient(cp, TRAIN, unit, -eps);
      for (int i = 0; i < k; i++) {
        h[i][j] = (plus[offset + i] - minus[offset + i]) / (2 * eps);
      }
    }
    double[][] expected = closedForm(h, g, q);
    ScoreMatrix s = spec("if-explicit", Map.of("layers", "last")).create(List.of(cp), 1)
        .attribute(TRAIN, QUERIES);
    assertClose(expected, s, 2e-4, "if-explicit last layer");
  }

  @Test
  void selfInfluenceIsNonNegativeAndTheDiagonal() {
    InnerProductAttributor.Fitted fitted = new MethodSpec("if-explicit", "neg-loss", 0,
        ProjectionKind.GAUSSIAN, 0, "0.01", 16).create(List.of(CP), 1).cache(TRAIN);
    ScoreMatrix full = fitted.attribute(TRAIN);
    float[] self = fitted.selfInfluence();
    for (int i = 0; i < TRAIN.size(); i++) {
      assertTrue(self[i] >= 0, "self-influence " + self[i]);
      assertEquals(full.get(i, i), self[i], 1e-4 * Math.abs(self[i]) + 1e-6);
    }
  }

  @Test
  void defaultLambdaRisesAboveNegativeCurvature() {
    // An untrained MLP: its Hessian is indefinite, and 0.01 does not make it positive definite.
    FeedForwardSpec mlp = FeedForwardSpec.mlp(8, new int[] {5}, 3, 0);
    Dataset train = HessianVectorProductTest.dataset(61, 8, 3, 1);
    Checkpoint cp = HessianVectorProductTest.checkpoint(mlp, 1);
    MethodSpec fixed = new MethodSpec("if-explicit", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        "0.01", 16);
    assertThrows(dev.ascribe.core.ihvp.SolverDivergedException.class,
        () -> fixed.create(List.of(cp), 1).attribute(train, QUERIES_8));
    ScoreMatrix[] scores = new ScoreMatrix[2];
    String[] methods = {"if-explicit", "if-cg"};
    for (int i = 0; i < 2; i++) {
      InnerProductAttributor.Fitted fitted = new MethodSpec(methods[i], "margin", 0,
          ProjectionKind.GAUSSIAN, 0, MethodSpec.DEFAULT_LAMBDA, 16,
          Map.of()).create(List.of(cp), 1).cache(train);
      scores[i] = fitted.attribute(QUERIES_8);
      Map<?, ?> described = (Map<?, ?>) ((List<?>) fitted.describe().get("preconditioners"))
          .get(0);
      assertTrue((double) described.get("lowest_ritz_value") < 0, described.toString());
    }
    double scale = 0;
    for (int i = 0; i < train.size(); i++) {
      for (int j = 0; j < QUERIES_8.size(); j++) {
        scale = Math.max(scale, Math.abs(scores[0].get(i, j)));
      }
    }
    for (int i = 0; i < train.size(); i++) {
      for (int j = 0; j < QUERIES_8.size(); j++) {
        assertEquals(scores[0].get(i, j), scores[1].get(i, j), 1e-3 * scale);
      }
    }
  }

  static final Dataset QUERIES_8 = HessianVectorProductTest.dataset(5, 8, 3, 2);

  @Test
  void badOptionsAreRejectedBeforeAnyWork() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("if-arnoldi",
        Map.of("iterations", "10", "rank", "20"))).getMessage()
        .contains("if-arnoldi.rank given 20: must be between 1 and if-arnoldi.iterations = 10"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new MethodSpec("if-cg",
        "margin", 0, ProjectionKind.GAUSSIAN, 0, "-1", 16)).getMessage()
        .contains("lambda given '-1'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new MethodSpec("if-cg",
        "margin", 0, ProjectionKind.GAUSSIAN, 0, "0.3x", 16)).getMessage()
        .contains("the Hessian methods take an absolute value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("if-cg",
        Map.of("iteratons", "5"))).getMessage()
        .contains("unknown option if-cg.iteratons: if-cg takes curvature, iterations,"
            + " tolerance"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("if-explicit",
        Map.of("layers", "first"))).getMessage()
        .contains("if-explicit.layers given first: expected all or last"));
    assertEquals("0.01", new MethodSpec("if-cg", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        MethodSpec.DEFAULT_LAMBDA, 16).lambdaSpec().toString());
  }

  static MethodSpec spec(String method, Map<String, String> options) {
    return new MethodSpec(method, "margin", 0, ProjectionKind.GAUSSIAN, 0, "" + LAMBDA, 16,
        options);
  }

  /** τ[i][q] = -∇f(z'_q)ᵀ (H + λI)⁻¹ ∇ℓ(z_i). */
  static double[][] closedForm(double[][] h, double[][] g, double[][] q) {
    RealMatrix m = new Array2DRowRealMatrix(h);
    for (int i = 0; i < h.length; i++) {
      m.addToEntry(i, i, LAMBDA);
    }
    RealMatrix inv = new LUDecomposition(m).getSolver().getInverse();
    return new Array2DRowRealMatrix(g).multiply(inv)
        .multiply(new Array2DRowRealMatrix(q).transpose()).scalarMultiply(-1).getData();
  }

  static double[][] lastColumns(double[][] rows, int offset) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = Arrays.copyOfRange(rows[i], offset, rows[i].length);
    }
    return out;
  }

  static void assertClose(double[][] expected, ScoreMatrix s, double relative, String what) {
    double scale = 0;
    for (double[] row : expected) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], s.get(i, j), relative * scale,
            what + " score " + i + "," + j);
      }
    }
  }
}
