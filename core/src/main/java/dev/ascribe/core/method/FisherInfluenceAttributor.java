package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.project.ProjectionOptions;

/**
 * IF-FIM: influence functions with the Hessian replaced by the empirical Fisher (DESIGN.md):
 *
 * <pre>
 *   τ(z', z_i) = g'ᵀ (F + λI)⁻¹ g_i,   F = (1/n) Σ_i g_i g_iᵀ,   g_i = P∇ℓ(z_i),   g' = -P∇f(z')
 * </pre>
 *
 * With a projection P every gradient is replaced by its k-dimensional image and F by (1/n) ΦᵀΦ;
 * without one (projection.dim = 0) F is d x d, which suits models up to a few thousand
 * parameters. Several checkpoints are averaged, each with its own F.
 */
public final class FisherInfluenceAttributor extends InnerProductAttributor {
  /** Loss gradients, kernel preconditioning, unit weights, ensemble average. */
  public static final Recipe RECIPE = new Recipe(Method.IF_FIM.cliName(),
      ModelOutputs.crossEntropy(), RowWeight.ONE, true, false, Recipe.Combine.MEAN);

  /**
   * @param projection projection of the gradients, or null to keep them whole
   * @param lambda damping added to F on the mean scale
   */
  public FisherInfluenceAttributor(AttributionTask task, ProjectionOptions projection,
      LambdaSpec lambda) {
    super(task, RECIPE, projection, lambda);
  }
}
