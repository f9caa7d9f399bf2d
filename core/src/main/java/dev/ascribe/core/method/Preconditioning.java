package dev.ascribe.core.method;

/** How a method preconditions the inner product between training and query features. */
public enum Preconditioning {
  /** No preconditioner: K = I. */
  IDENTITY,
  /** The kernel (1/n) ΦᵀΦ + λI of the training features. */
  KERNEL,
  /** The loss Hessian on the training data, H + λI, applied by an inverse-HVP solver. */
  HESSIAN
}
