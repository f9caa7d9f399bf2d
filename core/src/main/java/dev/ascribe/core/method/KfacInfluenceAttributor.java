package dev.ascribe.core.method;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.precondition.KfacOptions;
import dev.ascribe.core.precondition.KfacPasses;
import dev.ascribe.core.precondition.KfacPreconditioner;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;

/**
 * Influence functions with Kronecker-factored curvature (K-FAC; EK-FAC with refitted eigenvalues;
 * Grosse et al. 2023, kronfluence):
 *
 * <pre>
 *   τ(z', z_i) = g'ᵀ (Ĝ + λI)⁻¹ g_i,   g_i = ∇ℓ(z_i),   g' = -∇f(z')
 * </pre>
 *
 * with Ĝ block-diagonal over the tapped layers, each block S ⊗ A ({@link KfacPreconditioner}), on
 * whole gradients: the query side is preconditioned layer by layer, then scored against the
 * training gradients. The factors are fitted by passes over the training rows ({@link KfacPasses};
 * on Spark per partition, merged in key order). Several checkpoints are averaged.
 */
public final class KfacInfluenceAttributor extends InnerProductAttributor {
  /**
   * λ = {@code auto}: {@value LambdaSpec#AUTO_MULTIPLE} x the mean non-zero eigenvalue of the
   * factored curvature. With the default true labels it was the best multiple of the grid 0.03x to
   * 3x on both MNIST settings, for both variants (README, "K-FAC and EK-FAC").
   */
  public static final String DEFAULT_LAMBDA = "auto";

  private final KfacOptions options;

  /** @param lambda damping on the mean scale (absolute, a multiple such as 0.1x, or auto) */
  public KfacInfluenceAttributor(AttributionTask task, KfacOptions options, LambdaSpec lambda) {
    super(task, recipe(options.variant().method()), null, lambda);
    requireCrossEntropy(task, options.variant().method(),
        "its curvature is the Fisher of cross-entropy");
    for (Checkpoint c : task.checkpoints()) {
      KfacPasses.requireTapsCoverParameters(c, options.variant().method());
    }
    this.options = options;
  }

  /** Loss gradients, whole; preconditioned by the factors; unit weights; ensemble average. */
  public static Recipe recipe(String method) {
    return new Recipe(method, ModelOutputs.crossEntropy(), RowWeight.ONE, false, false,
        Recipe.Combine.MEAN);
  }

  public KfacOptions options() {
    return options;
  }

  @Override
  public PreconditionerSource preconditionerSource() {
    return PreconditionerSource.LAYER_FACTORS;
  }

  /** The in-memory fit: both passes over every training row of checkpoint {@code c}. */
  @Override
  protected Preconditioner fromLayerFactors(int c, Dataset train) {
    return KfacPasses.fit(task().checkpoints().get(c), c, train, options, lambda(),
        task().batchSize());
  }
}
