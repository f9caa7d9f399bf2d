package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Johnson–Lindenstrauss on 30 vectors in d = 5000 projected to k = 1024.
 *
 * <p>Bound: for a fixed x and P with i.i.d. N(0, 1/k) entries (Dasgupta and Gupta 2003, Lemma 2.2)
 * or ±1/sqrt(k) entries (Achlioptas 2003, Theorem 1.1, same tail),
 *
 * <pre>
 *   Pr[ | ||Px||^2 - ||x||^2 | > eps ||x||^2 ] <= 2 exp(-k (eps^2/2 - eps^3/3) / 2).
 * </pre>
 *
 * A union bound over the N vectors we check (30 norms, 435 differences, and for inner products the
 * 2 x 435 vectors x/||x|| ± y/||y||: N = 1335) fails with probability at most {@code 2 N exp(-k
 * (eps^2/4 - eps^3/6))}; we take the smallest eps that makes this <= 1e-9 (about 0.39 for k =
 * 1024). Inner products then follow by polarization: |<Px,Py> - <x,y>| <= eps ||x|| ||y||.
 */
class JohnsonLindenstraussTest {
  private static final int D = 5000;
  private static final int K = 1024;
  private static final int N = 30;
  private static final double FAILURE_PROBABILITY = 1e-9;

  /** Smallest eps in (0, 1) with 2 m exp(-k (eps^2/4 - eps^3/6)) <= delta, by bisection. */
  static double epsilon(int k, int m, double delta) {
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 100; i++) {
      double eps = (lo + hi) / 2;
      double bound = 2 * m * Math.exp(-k * (eps * eps / 4 - eps * eps * eps / 6));
      if (bound <= delta) {
        hi = eps;
      } else {
        lo = eps;
      }
    }
    return hi;
  }

  /** 20 dense Gaussian vectors, 5 sparse ones, 5 near-copies of vector 0 (small differences). */
  private static double[][] vectors() {
    Random random = new Random(99);
    double[][] x = new double[N][D];
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < D; j++) {
        x[i][j] = random.nextGaussian();
      }
    }
    for (int i = 20; i < 25; i++) {
      for (int t = 0; t < 10; t++) {
        x[i][random.nextInt(D)] = random.nextGaussian() * 10;
      }
    }
    for (int i = 25; i < N; i++) {
      for (int j = 0; j < D; j++) {
        x[i][j] = x[0][j] + 0.01 * random.nextGaussian();
      }
    }
    return x;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] diff(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static double[][] project(ProjectionKind kind, double[][] x) {
    Projection p =
        Projection.of(
            ProjectionOptions.builder().setDim(K).optKind(kind).optSeed(31).build(), D);
    double[] flat = new double[N * D];
    for (int i = 0; i < N; i++) {
      System.arraycopy(x[i], 0, flat, i * D, D);
    }
    try (NDManager m = NDManager.newBaseManager();
        Projector projector = p.open(m)) {
      double[] y = projector.project(m.create(flat, new Shape(N, D))).toDoubleArray();
      double[][] out = new double[N][K];
      for (int i = 0; i < N; i++) {
        System.arraycopy(y, i * K, out[i], 0, K);
      }
      return out;
    }
  }

  @Test
  void normsDistancesAndInnerProductsArePreserved() {
    double eps = epsilon(K, N + N * (N - 1) / 2 + N * (N - 1), FAILURE_PROBABILITY);
    assertTrue(eps > 0.35 && eps < 0.42, "eps " + eps);
    double[][] x = vectors();
    for (ProjectionKind kind : ProjectionKind.values()) {
      if (kind == ProjectionKind.FACTORIZED) {
        continue; // projects a model's layers, not vectors (FactorizedProjectionTest)
      }
      double[][] y = project(kind, x);
      double worst = 0;
      for (int i = 0; i < N; i++) {
        double ratio = dot(y[i], y[i]) / dot(x[i], x[i]);
        worst = Math.max(worst, Math.abs(ratio - 1));
        assertTrue(Math.abs(ratio - 1) <= eps, kind + " norm " + i + " ratio " + ratio);
        for (int j = i + 1; j < N; j++) {
          double[] dx = diff(x[i], x[j]);
          double[] dy = diff(y[i], y[j]);
          double dRatio = dot(dy, dy) / dot(dx, dx);
          worst = Math.max(worst, Math.abs(dRatio - 1));
          assertTrue(
              Math.abs(dRatio - 1) <= eps, kind + " distance " + i + "," + j + " ratio " + dRatio);
          double err = Math.abs(dot(y[i], y[j]) - dot(x[i], x[j]));
          double allowed = eps * Math.sqrt(dot(x[i], x[i]) * dot(x[j], x[j]));
          assertTrue(err <= allowed, kind + " inner product " + i + "," + j + " error " + err);
        }
      }
      // A projection that preserved everything exactly would be suspicious (e.g. identity-like).
      assertTrue(worst > 1e-3, kind + " worst relative error " + worst);
      System.out.printf(
          "JL %s k=%d: worst |ratio - 1| = %.3f (bound eps = %.3f)%n", kind, K, worst, eps);
    }
  }
}
