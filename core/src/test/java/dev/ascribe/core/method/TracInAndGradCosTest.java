package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.dot;
import static dev.ascribe.core.method.GradDotAttributorTest.loopGradients;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.model.FeedForwardSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TracInCP and Grad-Cos against their definitions, from one-backward-per-example gradients. */
class TracInAndGradCosTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(5, new int[] {4}, 3, 0);
  private static final Dataset TRAIN = tiny(7, 5, 3, 1, "train");
  private static final Dataset QUERIES = tiny(3, 5, 3, 2, "queries");
  private static final List<Checkpoint> CHECKPOINTS = List.of(
      checkpoint(ARCH, 1).withWeight(0.3), checkpoint(ARCH, 2).withWeight(0.7));

  private static AttributionTask task() {
    return AttributionTask.builder().setCheckpoints(CHECKPOINTS).optBatchSize(3).build();
  }

  @Test
  void tracInSumsLearningRateWeightedGradientProducts() {
    ScoreMatrix s = new TracInAttributor(task(), null).attribute(TRAIN, QUERIES);
    double[][] expected = new double[7][3];
    for (Checkpoint c : CHECKPOINTS) {
      double[][] g = loopGradients(c, TRAIN, ModelOutputs.crossEntropy());
      double[][] f = loopGradients(c, QUERIES, ModelOutputs.margin());
      for (int i = 0; i < 7; i++) {
        for (int q = 0; q < 3; q++) {
          expected[i][q] += c.weight() * -dot(g[i], f[q]);
        }
      }
    }
    assertClose(expected, s);
  }

  @Test
  void tracInSelfInfluenceIsTheWeightedSquaredLossGradientNorm() {
    float[] self = new TracInAttributor(task(), null).cache(TRAIN).selfInfluence();
    for (int i = 0; i < 7; i++) {
      double expected = 0;
      for (Checkpoint c : CHECKPOINTS) {
        double[] g = loopGradients(c, TRAIN, ModelOutputs.crossEntropy())[i];
        expected += c.weight() * dot(g, g);
      }
      assertEquals(expected, self[i], 1e-5 * expected);
    }
  }

  @Test
  void gradCosAveragesCosinesOverCheckpoints() {
    ScoreMatrix s = new GradCosAttributor(task(), null).attribute(TRAIN, QUERIES);
    double[][] expected = new double[7][3];
    for (Checkpoint c : CHECKPOINTS) {
      double[][] g = loopGradients(c, TRAIN, ModelOutputs.crossEntropy());
      double[][] f = loopGradients(c, QUERIES, ModelOutputs.margin());
      for (int i = 0; i < 7; i++) {
        for (int q = 0; q < 3; q++) {
          expected[i][q] += -dot(g[i], f[q])
              / Math.sqrt(dot(g[i], g[i]) * dot(f[q], f[q])) / CHECKPOINTS.size();
        }
      }
    }
    assertClose(expected, s);
  }

  static void assertClose(double[][] expected, ScoreMatrix s) {
    for (int i = 0; i < expected.length; i++) {
      for (int q = 0; q < expected[i].length; q++) {
        assertEquals(expected[i][q], s.get(i, q), 1e-5 * (1 + Math.abs(expected[i][q])),
            "train " + i + " query " + q);
      }
    }
  }
}
