package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.project.ProjectionOptions;

/**
 * Grad-Cos (Barshan et al., 2020, "RelatIF"; as in dattri): τ(z', z_i) = g'ᵀ g_i / (‖g'‖ ‖g_i‖)
 * with g_i = P∇ℓ(z_i) and g' = -P∇f(z'), averaged over checkpoints. Norms are those of the
 * (projected) features, so a projection changes them only by its Johnson–Lindenstrauss error.
 */
public final class GradCosAttributor extends InnerProductAttributor {
  /** Loss gradients scaled to unit length, no preconditioning, ensemble average. */
  public static final Recipe RECIPE = new Recipe(Method.GRAD_COS.cliName(),
      ModelOutputs.crossEntropy(), RowWeight.ONE, false, true, Recipe.Combine.MEAN);

  /** @param projection projection of the gradients, or null for none */
  public GradCosAttributor(AttributionTask task, ProjectionOptions projection) {
    super(task, RECIPE, projection, null);
  }
}
