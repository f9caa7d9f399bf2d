package dev.ascribe.core.ihvp;

import java.util.Map;

/**
 * An inverse-Hessian-vector product solver x = (H + λI)⁻¹ v, fitted once ("at" a model, as
 * dattri's {@code ihvp_at_x} variants) and then applied to as many vectors as needed.
 */
public interface InverseHvp {
  /** (H + λI)⁻¹ v for each v. */
  double[][] solve(double[][] vectors);

  /** The damping λ on the mean scale. */
  double lambda();

  /** Options and what the last solves measured (iterations, residuals), for provenance. */
  Map<String, Object> describe();
}
