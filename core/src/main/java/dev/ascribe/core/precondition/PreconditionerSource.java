package dev.ascribe.core.precondition;

/** Where a method's preconditioner K⁻¹ comes from (the one choice every path makes alike). */
public enum PreconditionerSource {
  /** K = I: no fit (Grad-Dot, Grad-Cos, TracIn, RPS). */
  IDENTITY,
  /** K = (1/n) ΦᵀΦ + λI, fitted from the training features by {@link GramFit} (TRAK, IF-FIM). */
  FEATURE_KERNEL,
  /** (H + λI)⁻¹ from the training data itself through Hessian-vector products (IF). */
  TRAINING_DATA,
  /**
   * Per-layer Kronecker factors of the curvature, fitted by passes of the model over the training
   * rows and merged across partitions ({@link KroneckerFactorFit}, {@link EigenCorrectionFit}):
   * K-FAC and EK-FAC.
   */
  LAYER_FACTORS
}
