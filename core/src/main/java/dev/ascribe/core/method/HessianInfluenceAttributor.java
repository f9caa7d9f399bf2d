package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.feature.FeatureMapKind;
import dev.ascribe.core.feature.FeatureMapOptions;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.precondition.HessianPreconditioner;
import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;

/**
 * Influence functions with the exact Hessian (Koh and Liang, 2017; DESIGN.md):
 *
 * <pre>
 *   τ(z', z_i) = g'ᵀ (H + λI)⁻¹ g_i,   g_i = ∇ℓ(z_i),   g' = -∇f(z'),   H = ∇² (1/n) Σ_i ℓ(z_i)
 * </pre>
 *
 * on whole gradients (or those of the last layer, {@code if-explicit.layers = last}), with
 * (H + λI)⁻¹ applied to the query side by the configured solver ({@link InfluenceOptions}):
 * m queries need m solves, where the training side would need n. Several checkpoints are averaged.
 */
public final class HessianInfluenceAttributor extends InnerProductAttributor {
  private final InfluenceOptions options;

  public HessianInfluenceAttributor(AttributionTask task, InfluenceOptions options) {
    super(task, recipe(options), null, null);
    requireCrossEntropy(task, options.solver().method(),
        "its Hessian-vector products differentiate cross-entropy");
    this.options = options;
  }

  /** Loss gradients, curvature preconditioning, unit weights, ensemble average. */
  public static Recipe recipe(InfluenceOptions options) {
    return new Recipe(options.solver().method(), ModelOutputs.crossEntropy(), RowWeight.ONE,
        true, false, Recipe.Combine.MEAN);
  }

  public InfluenceOptions options() {
    return options;
  }

  @Override
  public FeatureMapOptions featureMap(ModelSpec arch) {
    return FeatureMapOptions.builder().optKind(FeatureMapKind.LAYERS)
        .optFirstLayer(options.firstLayer(arch)).build();
  }

  @Override
  protected Preconditioner fromTrainingData(int c, Dataset train) {
    return new HessianPreconditioner(task().checkpoints().get(c), train, options,
        task().threads());
  }

  @Override
  public PreconditionerSource preconditionerSource() {
    return PreconditionerSource.TRAINING_DATA;
  }
}
