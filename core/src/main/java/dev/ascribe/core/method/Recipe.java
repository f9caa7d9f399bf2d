package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.task.ModelOutput;

/**
 * How one inner-product method fills the common template (DESIGN.md; dattri's base attributor):
 *
 * <pre>
 *   τ(z'_q, z_i) = w_i · Σ_c a_c · φ_c(z_i)ᵀ K_c⁻¹ g'_c(z'_q)
 * </pre>
 *
 * with φ_c the projected gradient of {@code trainOutput} under checkpoint c, g'_c = -P_c ∇f(z') the
 * query side for the task's target f, K_c the identity or the kernel (1/n) Φ_cᵀ Φ_c + λI, a_c the
 * checkpoint coefficient and w_i the training-side weight. For TRAK the training side is the margin
 * gradient and w_i = -Q̄_i, so w_i φ_i = mean-q times ∇ℓ_i: every method scores g_iᵀ K⁻¹ g'.
 *
 * @param method the method's command-line name
 * @param trainOutput the function differentiated on the training side (loss, or margin for TRAK)
 * @param weight how w_i is formed
 * @param kernel precondition with (1/n) ΦᵀΦ + λI (else the identity)
 * @param normalize scale every feature row to unit length first (Grad-Cos)
 * @param combine how checkpoint coefficients a_c are formed
 */
public record Recipe(String method, ModelOutput trainOutput, RowWeight weight, boolean kernel,
    boolean normalize, Combine combine) {


  /** Checkpoint coefficients a_c. */
  public enum Combine {
    /** a_c = 1/C: an ensemble average. */
    MEAN,
    /** a_c = the checkpoint's weight (TracIn's learning rate). */
    WEIGHTED_SUM,
    /** a_c = the checkpoint's weight / C: an average of weighted terms (RPS's 1/(2λn)). */
    WEIGHTED_MEAN
  }
}
