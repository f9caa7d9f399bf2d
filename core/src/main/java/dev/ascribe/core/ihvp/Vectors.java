package dev.ascribe.core.ihvp;

/** The few dense vector operations the iterative solvers share. */
final class Vectors {
  private Vectors() {}

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** y += alpha x. */
  static void axpy(double alpha, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += alpha * x[i];
    }
  }

  static boolean finite(double[] a) {
    for (double x : a) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  static void checkDims(double[][] vectors, int d, String solver) {
    for (double[] v : vectors) {
      if (v.length != d) {
        throw new IllegalArgumentException(solver + ": vector of length " + v.length
            + " for a curvature of dimension " + d);
      }
      if (!finite(v)) {
        throw new IllegalArgumentException(solver + ": vector holds NaN or infinite values");
      }
    }
  }

  static void checkLambda(double lambda, String solver) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException(
          "option lambda given " + lambda + " for " + solver + ": must be finite and >= 0");
    }
  }
}
