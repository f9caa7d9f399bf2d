package dev.ascribe.core.ihvp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conjugate gradients on (H + λI) x = v, one independent CG per vector, all advanced together so
 * that each iteration costs one batched product with H. Needs H + λI positive definite: meeting
 * non-positive curvature along a search direction is reported as divergence, never returned.
 */
public final class ConjugateGradient implements InverseHvp {
  private final CurvatureOperator h;
  private final double lambda;
  private final Options options;
  private int solves;
  private int mostIterations;
  private double worstResidual;
  private int unconverged;

  /**
   * @param maxIterations iterations per vector at most (a vector that has not reached the
   *     tolerance then keeps its last iterate; describe() reports how many did not)
   * @param tolerance stop when ‖(H + λI) x - v‖ ≤ tolerance · ‖v‖
   */
  public record Options(int maxIterations, double tolerance) {
    public Options {
      if (maxIterations < 1) {
        throw new IllegalArgumentException(
            "option if-cg.iterations given " + maxIterations + ": must be >= 1");
      }
      if (!(tolerance > 0 && tolerance < 1)) {
        throw new IllegalArgumentException(
            "option if-cg.tolerance given " + tolerance + ": must be in (0, 1)");
      }
    }
  }

  public ConjugateGradient(CurvatureOperator h, double lambda, Options options) {
    Vectors.checkLambda(lambda, "if-cg");
    this.h = h;
    this.lambda = lambda;
    this.options = options;
  }

  @Override
  public double[][] solve(double[][] v) {
    int d = h.dim();
    Vectors.checkDims(v, d, "if-cg");
    int m = v.length;
    double[][] x = new double[m][d];
    double[][] r = new double[m][];
    double[][] p = new double[m][];
    double[] rr = new double[m];
    double[] target = new double[m];
    boolean[] done = new boolean[m];
    int active = 0;
    for (int j = 0; j < m; j++) {
      r[j] = v[j].clone();
      p[j] = v[j].clone();
      rr[j] = Vectors.dot(r[j], r[j]);
      target[j] = options.tolerance() * Math.sqrt(rr[j]);
      done[j] = rr[j] == 0;
      active += done[j] ? 0 : 1;
    }
    int iteration = 0;
    while (active > 0 && iteration < options.maxIterations()) {
      iteration++;
      int[] which = new int[active];
      double[][] directions = new double[active][];
      for (int j = 0, a = 0; j < m; j++) {
        if (!done[j]) {
          which[a] = j;
          directions[a++] = p[j];
        }
      }
      double[][] hp = h.apply(directions);
      for (int a = 0; a < which.length; a++) {
        int j = which[a];
        double[] ap = hp[a];
        Vectors.axpy(lambda, p[j], ap);
        double curvature = Vectors.dot(p[j], ap);
        if (!(curvature > 0)) {
          throw new SolverDivergedException(String.format(java.util.Locale.ROOT,
              "if-cg: non-positive curvature pᵀ(H + λI)p = %.3g along a search direction at"
                  + " iteration %d (lambda = %g): H + λI is not positive definite. Raise lambda,"
                  + " or use if-fim (positive semi-definite Fisher) or if-explicit.layers = last",
              curvature, iteration, lambda));
        }
        double alpha = rr[j] / curvature;
        Vectors.axpy(alpha, p[j], x[j]);
        Vectors.axpy(-alpha, ap, r[j]);
        double next = Vectors.dot(r[j], r[j]);
        if (!Double.isFinite(next)) {
          throw new SolverDivergedException("if-cg: the residual became " + next
              + " at iteration " + iteration + ": raise lambda");
        }
        double beta = next / rr[j];
        rr[j] = next;
        if (Math.sqrt(next) <= target[j]) {
          done[j] = true;
          active--;
          continue;
        }
        for (int i = 0; i < d; i++) {
          p[j][i] = r[j][i] + beta * p[j][i];
        }
      }
    }
    double worst = 0;
    for (int j = 0; j < m; j++) {
      double norm = target[j] / options.tolerance();
      worst = Math.max(worst, norm == 0 ? 0 : Math.sqrt(rr[j]) / norm);
    }
    // A caller may solve its vectors in several chunks with one solver: report over all of them.
    synchronized (this) {
      solves++;
      mostIterations = Math.max(mostIterations, iteration);
      worstResidual = Math.max(worstResidual, worst);
      unconverged += active;
    }
    return x;
  }

  @Override
  public double lambda() {
    return lambda;
  }

  @Override
  public synchronized Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("solver", "cg");
    m.put("lambda", lambda);
    m.put("iterations", options.maxIterations());
    m.put("tolerance", options.tolerance());
    m.put("solves", solves);
    m.put("solve_iterations_most", mostIterations);
    m.put("solve_worst_relative_residual", worstResidual);
    m.put("solve_unconverged", unconverged);
    return m;
  }
}
