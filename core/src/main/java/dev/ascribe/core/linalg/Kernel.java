package dev.ascribe.core.linalg;

import java.io.Serializable;

/**
 * The curvature matrix of one model on the mean scale, F = G/n = (1/n) Φᵀ Φ (k x k, float64): the
 * empirical Fisher of IF-FIM and the matrix TRAK preconditions with, as DESIGN.md defines them.
 * {@link #factorize(double)} adds λI and factors K = F + λI so that K⁻¹ can be applied to query
 * features.
 *
 * <p>λ lives on the mean scale (DESIGN.md, Mathematics): its meaning does not depend on n. The
 * command-line forms, including multiples of {@link #meanNonZeroEigenvalue()}, are parsed by {@link
 * LambdaSpec}.
 *
 * <p>Immutable and thread-safe; the eigenvalues and the eigenbasis are computed on first use and
 * cached. Both are O(k³), by {@link Lapack}: at k = 2048 about 1.4 s on one thread with the
 * eigenvectors, against 0.1 s for the Cholesky factorization of {@link #factorize(double)}.
 */
public final class Kernel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final long count;
  private final double[] mean;
  private transient double[] eigenvalues;
  private transient EigenBasis basis;
  private transient Boolean fullRank;

  private Kernel(int k, long count, double[] mean) {
    this.k = k;
    this.count = count;
    this.mean = mean;
  }

  /** The kernel of the features summed in {@code gram}: F = G/n. */
  public static Kernel of(GramAccumulator gram) {
    return of(gram.sum(), gram.k(), gram.count());
  }

  /**
   * The kernel F = G/n of a Gram sum.
   *
   * @param gramSum G = Σ_i φ_i φ_iᵀ, k x k row-major, NOT divided by n; must be symmetric
   * @param k the feature dimension
   * @param n the number of feature rows summed into G, >= 1
   */
  public static Kernel of(double[] gramSum, int k, long n) {
    if (n < 1) {
      throw new IllegalArgumentException("kernel needs at least one feature row: n given " + n
          + " (were the features of this model empty?)");
    }
    double[] mean = new double[gramSum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = gramSum[i] / n;
    }
    return ofMean(mean, k, n);
  }

  /** A kernel from an already divided F (e.g. read back from a file); takes ownership of mean. */
  static Kernel ofMean(double[] mean, int k, long n) {
    if (k < 1 || mean.length != (long) k * k) {
      throw new IllegalArgumentException("kernel matrix has " + mean.length + " entries: expected"
          + " k·k for k = " + k + " (k x k row-major)");
    }
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        double v = mean[a * k + b];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(
              "kernel entry (" + a + ", " + b + ") is " + v + ": must be finite");
        }
        if (mean[b * k + a] != v) {
          throw new IllegalArgumentException("kernel matrix is not symmetric: entry (" + a + ", "
              + b + ") = " + v + " but (" + b + ", " + a + ") = " + mean[b * k + a]);
        }
      }
    }
    return new Kernel(k, n, mean);
  }

  /** The feature dimension k. */
  public int k() {
    return k;
  }

  /** The number of feature rows n behind F. */
  public long count() {
    return count;
  }

  /** F = G/n as a new k x k row-major array. */
  public double[] meanGram() {
    return mean.clone();
  }

  /** Internal view without a copy. */
  double[] meanView() {
    return mean;
  }

  /** The eigenvalues of F, descending, a new array of length k. */
  public synchronized double[] eigenvalues() {
    if (eigenvalues == null) {
      eigenvalues = basis != null ? basis.valuesView() : EigenBasis.eigenvaluesOf(mean, k);
    }
    return eigenvalues.clone();
  }

  /** The eigendecomposition F = U diag(σ) Uᵀ, eigenvalues descending (computed once, cached). */
  public synchronized EigenBasis eigenBasis() {
    if (basis == null) {
      basis = EigenBasis.of(mean, k);
      // One spectrum per kernel: later callers of eigenvalues() see the basis's values.
      eigenvalues = basis.valuesView();
    }
    return basis;
  }

  /** Installs a basis read back from a file, so that it is not recomputed. */
  synchronized void seedBasis(EigenBasis stored) {
    if (stored.k() != k) {
      throw new IllegalArgumentException("eigenbasis has k = " + stored.k() + ", kernel " + k);
    }
    basis = stored;
    eigenvalues = stored.valuesView();
  }

  /**
   * The mean of the non-zero eigenvalues of F, the unit of relative λ such as {@code 0.3x}.
   * Eigenvalues σ ≤ σ_max · k · 1e-12 count as zero ({@link EigenBasis}). When n ≥ k and the
   * features span every direction this is trace(F)/k; with n < k it is trace(F)/rank.
   *
   * @throws IllegalStateException if F has no non-zero eigenvalue (every feature is zero)
   */
  public double meanNonZeroEigenvalue() {
    synchronized (this) {
      if (eigenvalues == null && fullRank()) {
        // Every eigenvalue is non-zero: their mean is trace(F)/k, no eigensolver needed.
        double trace = 0;
        for (int a = 0; a < k; a++) {
          trace += mean[a * k + a];
        }
        return trace / k;
      }
    }
    return EigenBasis.meanNonZeroOf(eigenvalues());
  }

  /**
   * The rank of F when it needs no eigensolver (the eigenvalues are known, or F has full rank k),
   * else -1; it is at most min(n, k) either way. For provenance, like {@link
   * #meanNonZeroEigenvalueIfCheap()}.
   */
  public synchronized int rankIfCheap() {
    if (eigenvalues != null) {
      return EigenBasis.rankOf(eigenvalues);
    }
    return fullRank() ? k : -1;
  }

  /**
   * {@link #meanNonZeroEigenvalue()} when it needs no eigensolver (the eigenvalues are known, or F
   * has full rank), else NaN: for provenance, where a rank-deficient d x d kernel (whole gradients,
   * n < d) must not start a long eigendecomposition.
   */
  public synchronized double meanNonZeroEigenvalueIfCheap() {
    if (eigenvalues != null || fullRank()) {
      return meanNonZeroEigenvalue();
    }
    return Double.NaN;
  }

  /**
   * Whether every eigenvalue passes the zero rule, certified by one Cholesky factorization (k³/3,
   * about 20x cheaper than the eigenvalues): F - τ'I is positive definite with τ' = trace(F) · k ·
   * 1e-12 ≥ σ_max · k · 1e-12, so then every σ exceeds the rule's tolerance. A failed
   * factorization proves nothing; the caller falls back to the eigenvalues.
   */
  private boolean fullRank() {
    if (fullRank == null) {
      double trace = 0;
      for (int a = 0; a < k; a++) {
        trace += mean[a * k + a];
      }
      double shift = trace * k * EigenBasis.RELATIVE_ZERO_TOLERANCE;
      double[] shifted = mean.clone();
      for (int a = 0; a < k; a++) {
        shifted[a * k + a] -= shift;
      }
      fullRank = trace > 0 && Lapack.choleskyLower(shifted, k);
    }
    return fullRank;
  }

  /**
   * Factors K = F + λI: by Cholesky when that is numerically safe, otherwise through the
   * eigendecomposition with a pseudo-inverse (see {@link Factorized} for the exact rule).
   *
   * @param lambda the damping λ on the mean scale, finite and >= 0
   */
  public Factorized factorize(double lambda) {
    return Factorized.of(this, lambda);
  }

  /** Resolves {@code lambda} against this kernel, then {@link #factorize(double)}. */
  public Factorized factorize(LambdaSpec lambda) {
    return factorize(lambda.resolve(this));
  }

  @Override
  public String toString() {
    return "Kernel[k=" + k + ", n=" + count + "]";
  }
}
