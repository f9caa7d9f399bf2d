package dev.ascribe.core.ihvp;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.ascribe.core.linalg.Lapack;

/**
 * (H + λI)⁻¹ from the matrix itself: H is assembled from d products with the unit vectors
 * (symmetrized, since rounding leaves it slightly asymmetric), λ added, and factored by Cholesky
 * once; every solve is then two triangular solves. For small models or one layer of a large one
 * (d up to a few thousand: the matrix takes 8 d² bytes and the factorization O(d³)).
 */
public final class ExplicitInverse implements InverseHvp {
  /** Columns of H assembled per batch of products. */
  private static final int COLUMNS_PER_PASS = 256;

  private final int d;
  private final double lambda;
  private final double[] lower; // L of H + λI = L Lᵀ, d x d column-major (LAPACK's layout)
  private final double trace;
  private final double assembleSeconds;
  private final double factorSeconds;

  private ExplicitInverse(int d, double lambda, double[] lower, double trace,
      double assembleSeconds, double factorSeconds) {
    this.d = d;
    this.lambda = lambda;
    this.lower = lower;
    this.trace = trace;
    this.assembleSeconds = assembleSeconds;
    this.factorSeconds = factorSeconds;
  }

  /**
   * Assembles and factors H + λI.
   *
   * @param maxDim refuse larger operators (the option that raises it is named in the message)
   * @throws SolverDivergedException when H + λI is not positive definite
   */
  public static ExplicitInverse fit(CurvatureOperator h, double lambda, int maxDim) {
    Vectors.checkLambda(lambda, "if-explicit");
    int d = h.dim();
    if (d > maxDim) {
      throw new IllegalArgumentException("if-explicit: the curvature has " + d + " parameters,"
          + " more than if-explicit.max-dim = " + maxDim + " (the matrix alone would take "
          + (8L * d * d >> 20) + " MiB): use if-explicit.layers = last, if-cg or if-arnoldi,"
          + " or raise if-explicit.max-dim");
    }
    long start = System.nanoTime();
    double[] a = assemble(h);
    long assembled = System.nanoTime();
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += a[i * d + i];
      a[i * d + i] += lambda;
    }
    // assemble() made the matrix exactly symmetric, as the column-major factorization needs.
    if (!Lapack.choleskyColumns(a, d)) {
      throw new SolverDivergedException("if-explicit: H + λI is not positive definite at lambda"
          + " = " + lambda + " (the Hessian has negative or zero curvature beyond λ): raise"
          + " lambda, or use if-fim, whose Fisher is positive semi-definite");
    }
    return new ExplicitInverse(d, lambda, a, trace, (assembled - start) / 1e9,
        (System.nanoTime() - assembled) / 1e9);
  }

  /** The dense symmetric matrix of {@code h}, row-major, from its products with unit vectors. */
  public static double[] assemble(CurvatureOperator h) {
    int d = h.dim();
    double[] a = new double[d * d];
    for (int from = 0; from < d; from += COLUMNS_PER_PASS) {
      int to = Math.min(d, from + COLUMNS_PER_PASS);
      double[][] unit = new double[to - from][d];
      for (int j = from; j < to; j++) {
        unit[j - from][j] = 1;
      }
      double[][] columns = h.apply(unit);
      for (int j = from; j < to; j++) {
        for (int i = 0; i < d; i++) {
          a[i * d + j] = columns[j - from][i];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double mean = 0.5 * (a[i * d + j] + a[j * d + i]);
        a[i * d + j] = mean;
        a[j * d + i] = mean;
      }
    }
    return a;
  }

  @Override
  public double[][] solve(double[][] vectors) {
    Vectors.checkDims(vectors, d, "if-explicit");
    int m = vectors.length;
    if (m == 0) {
      return new double[0][];
    }
    double[] x = new double[d * m]; // d x m column-major: column j is vectors[j]
    for (int j = 0; j < m; j++) {
      System.arraycopy(vectors[j], 0, x, j * d, d);
    }
    Lapack.choleskySolveColumns(lower, d, x, m);
    double[][] out = new double[m][];
    for (int j = 0; j < m; j++) {
      out[j] = java.util.Arrays.copyOfRange(x, j * d, (j + 1) * d);
    }
    return out;
  }

  @Override
  public double lambda() {
    return lambda;
  }

  /** trace(H) / d: the mean eigenvalue of H. */
  public double meanEigenvalue() {
    return trace / d;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("solver", "explicit");
    m.put("lambda", lambda);
    m.put("dim", d);
    m.put("mean_eigenvalue", meanEigenvalue());
    m.put("factorization", "cholesky");
    m.put("assemble_seconds", assembleSeconds);
    m.put("factor_seconds", factorSeconds);
    return m;
  }
}
