package dev.ascribe.core.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The eigendecomposition F = U diag(σ) Uᵀ of a symmetric k x k matrix (here the mean Gram matrix
 * F = G/n of a {@link Kernel}), eigenvalues in descending order.
 *
 * <p>Which eigenvalues count as zero (the one rule of this package, used for the mean non-zero
 * eigenvalue and for the pseudo-inverse): σ_i is zero when σ_i ≤ {@link #zeroTolerance(double,
 * int) τ} = σ_max · k · 1e-12, and every σ_i is zero when σ_max ≤ 0. Rounding in a Gram matrix
 * summed in float64 leaves numerically-zero eigenvalues near σ_max · k · 1e-16 (either sign), four
 * orders of magnitude below τ.
 *
 * <p>Immutable: accessors return copies.
 */
public final class EigenBasis implements Serializable {
  /** The relative part of the zero rule: σ ≤ σ_max · k · {@value} counts as zero. */
  public static final double RELATIVE_ZERO_TOLERANCE = 1e-12;

  private static final long serialVersionUID = 1L;

  private final int k;
  private final double[] values;
  private final double[] vectors;

  /**
   * @param values eigenvalues, length k, descending
   * @param vectors k x k row-major; column j (entries [i·k + j], i = 0..k-1) is the unit
   *     eigenvector of values[j]
   */
  EigenBasis(double[] values, double[] vectors) {
    this.k = values.length;
    if (vectors.length != k * k) {
      throw new IllegalArgumentException(
          "eigenvector matrix has " + vectors.length + " entries: expected k·k = " + k * k);
    }
    for (int j = 1; j < k; j++) {
      if (!(values[j] <= values[j - 1])) {
        throw new IllegalArgumentException("eigenvalues are not in descending order at " + j
            + ": " + values[j - 1] + " then " + values[j]);
      }
    }
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Eigenvalues and eigenvectors of a symmetric matrix, by LAPACK ({@link Lapack}).
   *
   * @param symmetric k x k row-major; only symmetric input gives a meaningful result (the upper
   *     triangle is read)
   */
  public static EigenBasis of(double[] symmetric, int k) {
    double[] ascending = new double[k];
    double[] columns = symmetric.clone();
    Lapack.symmetricEigen(columns, k, true, ascending);
    double[] values = new double[k];
    double[] vectors = new double[k * k];
    for (int j = 0; j < k; j++) {
      int from = k - 1 - j;
      values[j] = ascending[from];
      for (int i = 0; i < k; i++) {
        vectors[i * k + j] = columns[i * k + from];
      }
    }
    return new EigenBasis(values, vectors);
  }

  /** Only the eigenvalues of a symmetric k x k row-major matrix, descending (about 3x faster). */
  static double[] eigenvaluesOf(double[] symmetric, int k) {
    double[] ascending = new double[k];
    Lapack.symmetricEigen(symmetric.clone(), k, false, ascending);
    double[] values = new double[k];
    for (int j = 0; j < k; j++) {
      values[j] = ascending[k - 1 - j];
    }
    return values;
  }

  /**
   * The zero rule's threshold for a spectrum whose largest eigenvalue is {@code max}: max · k ·
   * 1e-12 when max > 0, else 0. Eigenvalues ≤ the threshold count as zero.
   */
  public static double zeroTolerance(double max, int k) {
    return max > 0 ? max * k * RELATIVE_ZERO_TOLERANCE : 0;
  }

  /** The dimension k. */
  public int k() {
    return k;
  }

  /** The eigenvalues σ_0 ≥ σ_1 ≥ ... ≥ σ_{k-1}, a copy of length k. */
  public double[] values() {
    return values.clone();
  }

  /** Eigenvalue σ_j (descending order). */
  public double value(int j) {
    return values[j];
  }

  /** The unit eigenvector of σ_j, a new array of length k. */
  public double[] vector(int j) {
    double[] u = new double[k];
    for (int i = 0; i < k; i++) {
      u[i] = vectors[i * k + j];
    }
    return u;
  }

  /** U as a new k x k row-major array: column j (entries [i·k + j]) is the eigenvector of σ_j. */
  public double[] vectors() {
    return vectors.clone();
  }

  /** The number of non-zero eigenvalues under the zero rule. */
  public int rank() {
    return rankOf(values);
  }

  /** The mean of the non-zero eigenvalues; see {@link Kernel#meanNonZeroEigenvalue()}. */
  public double meanNonZero() {
    return meanNonZeroOf(values);
  }

  /** Internal view without a copy. */
  double[] valuesView() {
    return values;
  }

  /** Internal view without a copy. */
  double[] vectorsView() {
    return vectors;
  }

  static int rankOf(double[] descending) {
    double tol = zeroTolerance(descending[0], descending.length);
    int r = 0;
    while (r < descending.length && descending[r] > tol) {
      r++;
    }
    return r;
  }

  static double meanNonZeroOf(double[] descending) {
    int r = rankOf(descending);
    if (r == 0) {
      throw new IllegalStateException("the kernel has no non-zero eigenvalue (largest "
          + descending[0] + "; every feature row is zero?): a lambda relative to the mean"
          + " eigenvalue such as 0.3x is undefined; give an absolute value");
    }
    double s = 0;
    for (int j = 0; j < r; j++) {
      s += descending[j];
    }
    return s / r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EigenBasis e
        && Arrays.equals(e.values, values) && Arrays.equals(e.vectors, vectors);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(vectors);
  }

  @Override
  public String toString() {
    return "EigenBasis[k=" + k + ", max=" + values[0] + ", rank=" + rank() + "]";
  }
}
