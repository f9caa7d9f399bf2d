package dev.ascribe.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code AttributionTask.optLoss} is honoured or refused, never ignored: the loss-based recipes
 * differentiate the task's loss on the training side; TRAK, RPS and the Hessian methods, derived
 * for cross-entropy, refuse another loss when the attributor is built.
 */
class LossOptionTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(5, new int[] {4}, 3, 0);
  private static final Dataset TRAIN = GradDotAttributorTest.tiny(7, 5, 3, 1, "train");
  private static final Dataset QUERIES = GradDotAttributorTest.tiny(3, 5, 3, 2, "queries");

  private static AttributionTask task(boolean negatedLoss) {
    AttributionTask.Builder b = AttributionTask.builder()
        .setCheckpoints(List.of(GradDotAttributorTest.checkpoint(ARCH, 1))).optBatchSize(3);
    return (negatedLoss ? b.optLoss(ModelOutputs.negLoss()) : b).build();
  }

  @Test
  void lossBasedRecipesDifferentiateTheTasksLoss() {
    // -ℓ as the loss negates every training gradient, so every score.
    ScoreMatrix crossEntropy = new GradDotAttributor(task(false), null).attribute(TRAIN, QUERIES);
    GradDotAttributor negated = new GradDotAttributor(task(true), null);
    assertEquals("neg-loss", negated.trainOutput().name());
    ScoreMatrix s = negated.attribute(TRAIN, QUERIES);
    for (int i = 0; i < 7; i++) {
      for (int q = 0; q < 3; q++) {
        float expected = -crossEntropy.get(i, q);
        assertTrue(expected != 0, "score " + i + "," + q);
        assertEquals(expected, s.get(i, q), 1e-6 * Math.abs(expected), "score " + i + "," + q);
      }
    }
    assertEquals("cross-entropy", new GradDotAttributor(task(false), null).trainOutput().name());
  }

  @Test
  void methodsDerivedForCrossEntropyRefuseAnotherLoss() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> new TrakAttributor(task(true),
        TrakOptions.builder().optProjectionDim(4).build()));
    assertEquals("trak differentiates margin on the training side, not the loss: task loss"
        + " given neg-loss would be ignored; leave the loss at cross-entropy", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new HessianInfluenceAttributor(
        task(true), InfluenceOptions.of("if-cg", LambdaSpec.absolute(0.01), Map.of())));
    assertTrue(e.getMessage().startsWith("if-cg takes the loss cross-entropy only"),
        e.getMessage());
    assertTrue(e.getMessage().contains("task loss given neg-loss"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RpsAttributor(task(true), RpsOptions.defaults()));
    assertTrue(e.getMessage().startsWith("rps takes the loss cross-entropy only"),
        e.getMessage());
  }
}
