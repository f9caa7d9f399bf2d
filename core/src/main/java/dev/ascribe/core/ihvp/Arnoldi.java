package dev.ascribe.core.ihvp;

import dev.ascribe.core.linalg.EigenBasis;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Arnoldi solver of Schioppa et al. (2022): a Krylov basis of H from {@code iterations}
 * Hessian-vector products (for symmetric H Arnoldi is Lanczos; we reorthogonalize fully so the basis
 * stays orthonormal in floating point), the top-{@code rank} eigenpairs of H by magnitude from the
 * small projected matrix, then (H + λI)⁻¹ v ≈ U diag(1/(σ + λ)) Uᵀ v. Directions outside the top
 * eigenvectors are dropped, as in the paper; with rank = iterations = d it is exact.
 */
public final class Arnoldi implements InverseHvp {
  private final double lambda;
  private final double[] values;
  private final double[][] vectors;
  private final Options options;
  private final int builtIterations;
  private final double lowestRitzValue;

  /**
   * @param iterations Krylov steps (Hessian-vector products)
   * @param rank eigenpairs kept, at most {@code iterations}
   * @param seed seeds the starting vector
   */
  public record Options(int iterations, int rank, long seed) {
    public Options {
      if (iterations < 1) {
        throw new IllegalArgumentException("option if-arnoldi.iterations given " + iterations
            + ": must be >= 1");
      }
      if (rank < 1 || rank > iterations) {
        throw new IllegalArgumentException("option if-arnoldi.rank given " + rank
            + ": must be between 1 and if-arnoldi.iterations = " + iterations);
      }
    }
  }

  private Arnoldi(double lambda, double[] values, double[][] vectors, Options options,
      int builtIterations, double lowestRitzValue) {
    this.lowestRitzValue = lowestRitzValue;
    this.lambda = lambda;
    this.values = values;
    this.vectors = vectors;
    this.options = options;
    this.builtIterations = builtIterations;
  }

  /** Runs the Krylov iteration on {@code h} and keeps the top eigenpairs. */
  public static Arnoldi fit(CurvatureOperator h, double lambda, Options options) {
    Vectors.checkLambda(lambda, "if-arnoldi");
    int d = h.dim();
    int steps = Math.min(options.iterations(), d);
    SplittableRandom rng = new SplittableRandom(options.seed());
    double[][] q = new double[steps][];
    double[] start = new double[d];
    for (int i = 0; i < d; i++) {
      start[i] = rng.nextGaussian();
    }
    q[0] = scaled(start, 1 / Vectors.norm(start));
    double[] alpha = new double[steps];
    double[] beta = new double[steps];
    int built = steps;
    double largest = 0;
    for (int j = 0; j < steps; j++) {
      double[] w = h.apply(new double[][] {q[j]})[0];
      alpha[j] = Vectors.dot(q[j], w);
      largest = Math.max(largest, Math.abs(alpha[j]));
      // Full reorthogonalization, twice ("twice is enough"): keeps Q orthonormal.
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i <= j; i++) {
          Vectors.axpy(-Vectors.dot(q[i], w), q[i], w);
        }
      }
      if (j + 1 == steps) {
        break;
      }
      beta[j] = Vectors.norm(w);
      largest = Math.max(largest, beta[j]);
      if (!(beta[j] > 1e-10 * Math.max(largest, Double.MIN_NORMAL))) {
        // An invariant subspace: its eigenpairs are exact and the iteration cannot continue.
        built = j + 1;
        break;
      }
      q[j + 1] = scaled(w, 1 / beta[j]);
    }
    if (!Vectors.finite(alpha)) {
      throw new SolverDivergedException("if-arnoldi: the Hessian-vector products returned"
          + " non-finite values: check the model parameters");
    }
    // Eigenpairs of the projected matrix T = Qᵀ H Q (tridiagonal up to rounding).
    double[] t = new double[built * built];
    for (int i = 0; i < built; i++) {
      t[i * built + i] = alpha[i];
      if (i + 1 < built) {
        t[i * built + i + 1] = beta[i];
        t[(i + 1) * built + i] = beta[i];
      }
    }
    EigenBasis eig = EigenBasis.of(t, built);
    Integer[] order = new Integer[built];
    for (int i = 0; i < built; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(Math.abs(eig.value(b)), Math.abs(eig.value(a))));
    int keep = Math.min(options.rank(), built);
    double[] values = new double[keep];
    double[][] vectors = new double[keep][d];
    for (int r = 0; r < keep; r++) {
      values[r] = eig.value(order[r]);
      double[] s = eig.vector(order[r]);
      for (int i = 0; i < built; i++) {
        Vectors.axpy(s[i], q[i], vectors[r]);
      }
      if (!(Math.abs(values[r] + lambda) > 0)) {
        throw new SolverDivergedException(String.format(Locale.ROOT, "if-arnoldi: eigenvalue"
            + " %.3g + lambda %.3g is zero: raise lambda", values[r], lambda));
      }
    }
    return new Arnoldi(lambda, values, vectors, options, built, eig.value(built - 1));
  }

  private static double[] scaled(double[] v, double s) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * s;
    }
    return out;
  }

  /** The lowest eigenvalue of the projected matrix: near H's lowest for enough iterations. */
  public double lowestRitzValue() {
    return lowestRitzValue;
  }

  /** The kept eigenvalues, largest magnitude first. */
  public double[] eigenvalues() {
    return values.clone();
  }

  @Override
  public double[][] solve(double[][] v) {
    int d = vectors.length == 0 ? 0 : vectors[0].length;
    Vectors.checkDims(v, d, "if-arnoldi");
    double[][] out = new double[v.length][d];
    for (int j = 0; j < v.length; j++) {
      for (int r = 0; r < values.length; r++) {
        double c = Vectors.dot(vectors[r], v[j]) / (values[r] + lambda);
        Vectors.axpy(c, vectors[r], out[j]);
      }
    }
    return out;
  }

  @Override
  public double lambda() {
    return lambda;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("solver", "arnoldi");
    m.put("lambda", lambda);
    m.put("iterations", options.iterations());
    m.put("iterations_run", builtIterations);
    m.put("rank", values.length);
    m.put("seed", options.seed());
    m.put("largest_eigenvalue", values.length == 0 ? 0 : values[0]);
    m.put("smallest_kept_eigenvalue", values.length == 0 ? 0 : values[values.length - 1]);
    // Lanczos finds the extremes first: a negative value here means H is indefinite, and CG
    // needs lambda above its magnitude.
    m.put("lowest_ritz_value", lowestRitzValue);
    return m;
  }
}
