package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.feature.FeatureMapKind;
import dev.ascribe.core.feature.FeatureMapOptions;
import dev.ascribe.core.feature.FeatureMaps;
import dev.ascribe.core.feature.GradientMap;
import dev.ascribe.core.feature.KroneckerGradients;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.ModelSpec;

/**
 * LoGra (Choe et al., 2024, "What is Your Data Worth to GPT? LLM-Scale Data Valuation with
 * Influence Functions"): every linear layer's per-example gradient δ ãᵀ is projected as
 * (P_out δ) ⊗ (P_in ã) without forming δ ãᵀ ({@link KroneckerGradients}), then
 *
 * <pre>
 *   τ(z', z_i) = mean_c φ_c(z_i)ᵀ K_c⁻¹ φ'_c(z'),   K = I (identity) or (1/n) ΦᵀΦ + λI (fisher)
 * </pre>
 *
 * with φ from ∇ℓ on the training side and from -∇f on the query side. Checkpoint c's projections
 * derive their seeds from (seed, c). With identity projections and inner product this is Grad-Dot.
 */
public final class LograAttributor extends InnerProductAttributor {
  private final LograOptions options;

  /** @param lambda damping of the Fisher inner product (unused for identity) */
  public LograAttributor(AttributionTask task, LograOptions options, LambdaSpec lambda) {
    super(task, recipe(options.inner()), null, lambda);
    this.options = options;
  }

  /** Loss gradients, kernel preconditioning for the Fisher inner product, ensemble average. */
  public static Recipe recipe(LograOptions.Inner inner) {
    return new Recipe(Method.LOGRA.cliName(), ModelOutputs.crossEntropy(), RowWeight.ONE,
        inner == LograOptions.Inner.FISHER, false, Recipe.Combine.MEAN);
  }

  /** The feature map of models of {@code arch} for checkpoint {@code c}. */
  public static GradientMap gradientMap(ModelSpec arch, LograOptions options, int c) {
    return FeatureMaps.create(featureMap(arch, options), arch, c);
  }

  /** Every linear layer's Kronecker features, sides as the options say. */
  static FeatureMapOptions featureMap(ModelSpec arch, LograOptions options) {
    return FeatureMapOptions.builder().optKind(FeatureMapKind.KRONECKER)
        .optSides(options.kind(), options.seed())
        .optSideDims(options.outDims(arch), options.inDims(arch)).build();
  }

  @Override
  public FeatureMapOptions featureMap(ModelSpec arch) {
    return featureMap(arch, options);
  }

  public LograOptions options() {
    return options;
  }
}
