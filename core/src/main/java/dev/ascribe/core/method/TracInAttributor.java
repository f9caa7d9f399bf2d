package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.project.ProjectionOptions;

/**
 * TracInCP (Pruthi et al., 2020, "Estimating Training Data Influence by Tracing Gradient
 * Descent"): τ(z', z_i) = Σ_c η_c g'_cᵀ g_i,c over checkpoints c saved during training, where
 * η_c is the checkpoint's {@link Checkpoint#weight()} (its learning rate), g_i,c = P∇ℓ(z_i) and
 * g'_c = -P∇f(z') under checkpoint c.
 */
public final class TracInAttributor extends InnerProductAttributor {
  /** Loss gradients, no preconditioning, unit training weights, checkpoints summed by weight. */
  public static final Recipe RECIPE = new Recipe(Method.TRACIN.cliName(),
      ModelOutputs.crossEntropy(), RowWeight.ONE, false, false, Recipe.Combine.WEIGHTED_SUM);

  /**
   * @param task its checkpoints carry their learning rates as weights
   * @param projection projection of the gradients (DESIGN.md allows k = 512), or null for none
   */
  public TracInAttributor(AttributionTask task, ProjectionOptions projection) {
    super(task, RECIPE, projection, null);
  }
}
