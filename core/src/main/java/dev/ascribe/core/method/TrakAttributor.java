package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;

/**
 * TRAK (Park et al., 2023, "TRAK: Attributing Model Behavior at Scale"), as DESIGN.md states it
 * for M checkpoints (independently trained models):
 *
 * <pre>
 *   τ(z', ·) = [ (1/M) Σ_m Φ_m ((1/n) Φ_mᵀ Φ_m + λI)⁻¹ φ_m(z') ] ⊙ Q̄,   Q̄_i = mean_m (1 - p_m(y_i|x_i))
 * </pre>
 *
 * where Φ_m holds the projected margin gradients of the training examples. This is the original
 * TRAK up to the factor 1/n (λ is on the mean scale).
 */
public final class TrakAttributor extends InnerProductAttributor {
  /** Margin gradients, kernel preconditioning, Q̄ weighting, ensemble average. */
  public static final Recipe RECIPE = new Recipe(Method.TRAK.cliName(),
      ModelOutputs.margin(), RowWeight.NEG_MEAN_Q, true, false, Recipe.Combine.MEAN);

  private final TrakOptions options;

  public TrakAttributor(AttributionTask task, TrakOptions options) {
    super(task, RECIPE, options.projection(), options.lambda());
    this.options = options;
  }

  public TrakOptions options() {
    return options;
  }
}
