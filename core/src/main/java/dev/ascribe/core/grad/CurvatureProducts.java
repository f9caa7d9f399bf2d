package dev.ascribe.core.grad;

/**
 * Products of a d x d curvature matrix of the mean training loss (1/n) Σ_i ℓ(z_i; θ) with
 * directions, over every training row or a subset (LiSSA's mini-batches): the exact Hessian
 * ({@link HessianVectorProduct}) or the Gauss-Newton matrix ({@link GaussNewtonProduct}). Holds
 * native memory until closed.
 */
public interface CurvatureProducts extends AutoCloseable {
  /** Number of parameters in the block (the length of every direction). */
  int dim();

  /** Number of training rows the mean runs over. */
  int numRows();

  /** The product with each direction, the mean over every row. */
  double[][] apply(double[][] directions);

  /**
   * The product with each direction, the mean over a subset of the rows.
   *
   * @param subset rows of the data (indices into the dataset, as the rows are)
   */
  double[][] apply(double[][] directions, int[] subset);

  @Override
  void close();

  /**
   * Refuses directions of the wrong length, naming the product ({@code what}) and the block width.
   */
  static void checkDirections(double[][] directions, int dim, String what) {
    for (double[] v : directions) {
      if (v.length != dim) {
        throw new IllegalArgumentException(what + " direction has " + v.length
            + " values: the parameter block has " + dim);
      }
    }
  }
}
