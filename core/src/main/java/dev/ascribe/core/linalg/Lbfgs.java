package dev.ascribe.core.linalg;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", Algorithm 7.5) with a
 * backtracking Armijo line search, in float64, for smooth convex objectives such as RPS's
 * L2-regularized last-layer refit. Deterministic: the same start gives the same iterates.
 */
public final class Lbfgs {
  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 60;

  private Lbfgs() {}

  /** f(x) and its gradient. */
  @FunctionalInterface
  public interface Objective {
    /** Writes ∇f(x) into {@code gradient} (length of x) and returns f(x). */
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * @param x the last iterate
   * @param value f(x)
   * @param gradientNorm ‖∇f(x)‖₂
   * @param iterations iterations taken
   * @param converged whether ‖∇f(x)‖₂ reached the tolerance
   */
  public record Result(double[] x, double value, double gradientNorm, int iterations,
      boolean converged) {}

  /**
   * Minimizes {@code f} from {@code start} until ‖∇f‖₂ ≤ {@code tolerance} or {@code
   * maxIterations} iterations have run (or no step decreases f any more).
   */
  public static Result minimize(Objective f, double[] start, double tolerance, int maxIterations) {
    int d = start.length;
    double[] x = start.clone();
    double[] g = new double[d];
    double value = f.evaluate(x, g);
    Deque<double[][]> pairs = new ArrayDeque<>();
    double[] xNew = new double[d];
    double[] gNew = new double[d];
    for (int it = 0; ; it++) {
      double norm = Math.sqrt(dot(g, g));
      if (norm <= tolerance || it >= maxIterations) {
        return new Result(x, value, norm, it, norm <= tolerance);
      }
      double[] direction = direction(g, pairs);
      double slope = dot(g, direction);
      if (!(slope < 0)) {
        pairs.clear();
        direction = scaled(g, -1);
        slope = -norm * norm;
      }
      double step = pairs.isEmpty() ? Math.min(1, 1 / norm) : 1;
      double candidate = Double.NaN;
      int halvings = 0;
      for (; halvings < MAX_HALVINGS; halvings++, step /= 2) {
        for (int j = 0; j < d; j++) {
          xNew[j] = x[j] + step * direction[j];
        }
        candidate = f.evaluate(xNew, gNew);
        if (candidate <= value + ARMIJO * step * slope) {
          break;
        }
      }
      if (halvings == MAX_HALVINGS) {
        // No representable decrease left: f is at its floating-point minimum along -∇f.
        return new Result(x, value, norm, it, false);
      }
      double[] s = new double[d];
      double[] y = new double[d];
      for (int j = 0; j < d; j++) {
        s[j] = xNew[j] - x[j];
        y[j] = gNew[j] - g[j];
      }
      if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        pairs.addLast(new double[][] {s, y});
        if (pairs.size() > MEMORY) {
          pairs.removeFirst();
        }
      }
      System.arraycopy(xNew, 0, x, 0, d);
      System.arraycopy(gNew, 0, g, 0, d);
      value = candidate;
    }
  }

  /** -H g by the two-loop recursion over the stored (s, y) pairs, oldest first. */
  private static double[] direction(double[] g, Deque<double[][]> pairs) {
    double[] q = g.clone();
    int m = pairs.size();
    double[] alpha = new double[m];
    double[][][] list = pairs.toArray(new double[0][][]);
    for (int i = m - 1; i >= 0; i--) {
      double rho = 1 / dot(list[i][1], list[i][0]);
      alpha[i] = rho * dot(list[i][0], q);
      axpy(-alpha[i], list[i][1], q);
    }
    if (m > 0) {
      double[] s = list[m - 1][0];
      double[] y = list[m - 1][1];
      double gamma = dot(s, y) / dot(y, y);
      for (int j = 0; j < q.length; j++) {
        q[j] *= gamma;
      }
    }
    for (int i = 0; i < m; i++) {
      double rho = 1 / dot(list[i][1], list[i][0]);
      double beta = rho * dot(list[i][1], q);
      axpy(alpha[i] - beta, list[i][0], q);
    }
    return scaled(q, -1);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int j = 0; j < x.length; j++) {
      y[j] += a * x[j];
    }
  }

  private static double[] scaled(double[] x, double a) {
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = a * x[j];
    }
    return out;
  }
}
