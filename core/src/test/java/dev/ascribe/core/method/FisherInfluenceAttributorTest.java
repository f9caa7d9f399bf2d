package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.loopGradients;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** IF-FIM against g'ᵀ((1/n) GᵀG + λI)⁻¹ g_i from loop gradients and a Commons Math inverse. */
class FisherInfluenceAttributorTest {
  @Test
  void matchesTheClosedFormWithoutProjection() {
    check(null, 0.03);
  }

  @Test
  void matchesTheClosedFormWithProjection() {
    check(ProjectionOptions.builder().setDim(6).optSeed(5).build(), 0.01);
  }

  @Test
  void wholeGradientKernelsOfLargeModelsAreRefused() {
    MethodSpec spec = new MethodSpec("if-fim", "margin", 0,
        dev.ascribe.core.project.ProjectionKind.GAUSSIAN, 0, "default", 64);
    FeedForwardSpec mlp = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0);
    String message = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> spec.featureDim(mlp)).getMessage();
    org.junit.jupiter.api.Assertions.assertTrue(message.contains(
        "option projection.dim given 0 (whole gradients) for if-fim"), message);
    assertEquals(7850, spec.featureDim(FeedForwardSpec.logisticRegression(784, 10)));
    assertEquals("auto", spec.lambdaSpec().toString());
  }

  @Test
  void aProjectedKernelTooLargeToHoldIsRefusedBeforeAnyWork() {
    MethodSpec spec = new MethodSpec("trak", "margin", 10_000_000,
        dev.ascribe.core.project.ProjectionKind.GAUSSIAN, 0, "default", 64);
    String message = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> spec.featureDim(FeedForwardSpec.logisticRegression(784, 10))).getMessage();
    assertEquals("option projection.dim given 10000000 for trak: its kernel would be 10000000 x"
        + " 10000000; give projection.dim between 1 and 16384", message);
  }

  private static void check(ProjectionOptions projection, double lambda) {
    FeedForwardSpec arch = FeedForwardSpec.mlp(4, new int[] {3}, 3, 0);
    Dataset train = tiny(24, 4, 3, 21, "train");
    Dataset queries = tiny(5, 4, 3, 22, "queries");
    Checkpoint cp = checkpoint(arch, 3);
    AttributionTask task = AttributionTask.builder().setCheckpoints(List.of(cp))
        .optBatchSize(7).build();
    FisherInfluenceAttributor fim = new FisherInfluenceAttributor(task, projection,
        LambdaSpec.absolute(lambda));
    ScoreMatrix s = fim.attribute(train, queries);

    double[][] g = loopGradients(cp, train, ModelOutputs.crossEntropy());
    double[][] q = loopGradients(cp, queries, ModelOutputs.margin());
    if (projection != null) {
      g = TrakAttributorTest.project(fim.projection(0), g, projection.dim());
      q = TrakAttributorTest.project(fim.projection(0), q, projection.dim());
    }
    int n = train.size();
    RealMatrix gm = new Array2DRowRealMatrix(g);
    RealMatrix f = gm.transpose().multiply(gm).scalarMultiply(1.0 / n);
    for (int j = 0; j < f.getRowDimension(); j++) {
      f.addToEntry(j, j, lambda);
    }
    RealMatrix expected = gm.multiply(new LUDecomposition(f).getSolver().getInverse())
        .multiply(new Array2DRowRealMatrix(q).transpose()).scalarMultiply(-1);
    double scale = expected.getNorm();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < queries.size(); j++) {
        assertEquals(expected.getEntry(i, j), s.get(i, j), 1e-4 * scale, "score " + i + "," + j);
      }
    }
  }
}
