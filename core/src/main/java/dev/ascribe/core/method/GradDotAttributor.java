package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.project.ProjectionOptions;

/**
 * Grad-Dot (Charpiat et al., 2019, "Input Similarity from the Neural Network Perspective"):
 * τ(z', z_i) = g'ᵀ g_i with g_i = P∇ℓ(z_i) and g' = -P∇f(z'), averaged over checkpoints.
 * With several checkpoints weighted by learning rates it becomes TracInCP (a later method).
 */
public final class GradDotAttributor extends InnerProductAttributor {
  /** The recipe: loss gradients, no preconditioning, unit weights. */
  public static final Recipe RECIPE = new Recipe(Method.GRAD_DOT.cliName(),
      ModelOutputs.crossEntropy(), RowWeight.ONE, false, false, Recipe.Combine.MEAN);

  /**
   * @param projection projection of the gradients (DESIGN.md allows k = 512), or null for none
   */
  public GradDotAttributor(AttributionTask task, ProjectionOptions projection) {
    super(task, RECIPE, projection, null);
  }
}
