package dev.ascribe.core.method;

import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RPS-L2 against its definition: the refit is stationary, α_{i,y'} h̃_iᵀh̃' computed by hand from
 * the refitted model, and the representer theorem (a query's scores sum to its refitted logit).
 */
class RpsAttributorTest {
  private static final Dataset TRAIN = tiny(40, 5, 3, 1, "train");
  private static final Dataset QUERIES = tiny(4, 5, 3, 2, "queries");
  private static final RpsOptions OPTIONS = new RpsOptions(0.01, 1e-9, 5000);

  /** Logits and last-layer inputs [h, 1] of every row under a checkpoint. */
  private static double[][][] forward(Checkpoint c, Dataset data) {
    try (NDManager m = NDManager.newBaseManager(); Model net = c.open(m)) {
      FeedForwardSpec arch = (FeedForwardSpec) c.spec();
      double[] h = RpsRefit.hiddenFeatures(net, data, 16);
      float[] logits = net.logits(Inputs.features(data, Inputs.range(0, data.size()), m))
          .toFloatArray();
      int width = arch.inOf(arch.numLinear() - 1) + 1;
      int classes = arch.numClasses();
      double[][][] out = new double[data.size()][2][];
      for (int i = 0; i < data.size(); i++) {
        out[i][0] = new double[classes];
        for (int k = 0; k < classes; k++) {
          out[i][0][k] = logits[i * classes + k];
        }
        out[i][1] = java.util.Arrays.copyOfRange(h, i * width, (i + 1) * width);
      }
      return out;
    }
  }

  private static double[] softmax(double[] z) {
    double max = java.util.Arrays.stream(z).max().orElseThrow();
    double sum = 0;
    double[] p = new double[z.length];
    for (int k = 0; k < z.length; k++) {
      p[k] = Math.exp(z[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < z.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  private static void checkDefinition(FeedForwardSpec arch) {
    Checkpoint original = checkpoint(arch, 3);
    Checkpoint refit = RpsRefit.refit(original, TRAIN, OPTIONS, 16);
    AttributionTask task = AttributionTask.builder().setCheckpoints(List.of(original))
        .optBatchSize(16).build();
    ScoreMatrix s = new RpsAttributor(task, OPTIONS).attribute(TRAIN, QUERIES);
    double[][][] train = forward(refit, TRAIN);
    double[][][] queries = forward(refit, QUERIES);
    int n = TRAIN.size();
    for (int q = 0; q < QUERIES.size(); q++) {
      int y = QUERIES.labels(new int[] {q})[0];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int yi = TRAIN.labels(new int[] {i})[0];
        double alpha = -(softmax(train[i][0])[y] - (yi == y ? 1 : 0)) / (2 * OPTIONS.lambda() * n);
        double kernel = GradDotAttributorTest.dot(train[i][1], queries[q][1]);
        double expected = alpha * kernel;
        assertEquals(expected, s.get(i, q), 1e-4 * (1e-3 + Math.abs(expected)),
            arch.name() + " train " + i + " query " + q);
        sum += s.get(i, q);
      }
      // Representer theorem: at the stationary point W = Σ_i α_i h̃_iᵀ, so Σ_i τ = logit_y'.
      assertEquals(queries[q][0][y], sum, 1e-3 * (1 + Math.abs(sum)), arch.name() + " query " + q);
    }
  }

  @Test
  void logisticRegressionUsesThePixelsAndABias() {
    checkDefinition(FeedForwardSpec.logisticRegression(5, 3));
  }

  @Test
  void mlpUsesTheLastHiddenLayer() {
    checkDefinition(FeedForwardSpec.mlp(5, new int[] {6, 4}, 3, 0));
  }

  @Test
  void selfInfluenceIsNonNegative() {
    AttributionTask task = AttributionTask.builder()
        .setCheckpoints(List.of(checkpoint(FeedForwardSpec.mlp(5, new int[] {4}, 3, 0), 5))).build();
    for (float v : new RpsAttributor(task, OPTIONS).cache(TRAIN).selfInfluence()) {
      assertTrue(v >= 0, "self-influence " + v);
    }
  }

  @Test
  void aRefitShortOfTheToleranceFailsNamingTheOptions() {
    Checkpoint c = checkpoint(FeedForwardSpec.logisticRegression(5, 3), 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RpsRefit.refit(c, TRAIN, new RpsOptions(0.01, 1e-12, 2), 16));
    assertTrue(e.getMessage().contains("rps.iterations") && e.getMessage().contains(
        "rps.tolerance"), e.getMessage());
  }

  @Test
  void unrefittedCheckpointsAreRefusedByTheScorer() {
    Checkpoint c = checkpoint(FeedForwardSpec.logisticRegression(5, 3), 1);
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> RpsAttributor.scorer(List.of(c), 8, 1));
    assertTrue(e.getMessage().contains("not refitted"), e.getMessage());
  }

  @Test
  void badOptionsAreRefusedByName() {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> RpsOptions.parse(java.util.Map.of("lambda", "0")));
    assertTrue(e.getMessage().contains("rps.lambda given 0.0"), e.getMessage());
  }
}
