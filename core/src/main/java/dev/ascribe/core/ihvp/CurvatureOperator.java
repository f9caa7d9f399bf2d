package dev.ascribe.core.ihvp;

/**
 * A symmetric d x d matrix known through its products: the Hessian of the mean training loss
 * (Hessian-vector products), a Fisher, or an explicit matrix in tests.
 */
public interface CurvatureOperator {
  /** The dimension d. */
  int dim();

  /** A v for each direction v (each of length d). */
  double[][] apply(double[][] directions);
}
