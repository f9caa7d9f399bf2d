package dev.ascribe.core.ihvp;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * An explicit symmetric matrix as a curvature, for solver tests. Mini-batch products are the full
 * product, or A plus a zero-mean symmetric perturbation drawn per step (mean over steps = A).
 */
final class MatrixCurvature implements SampledCurvature {
  private final double[][] a;
  private final double noise;
  private final long seed;

  private MatrixCurvature(double[][] a, double noise, long seed) {
    this.a = a;
    this.noise = noise;
    this.seed = seed;
  }

  /** (1/n) Σ g gᵀ of n random Gaussian vectors: PSD, rank min(n, d). */
  static MatrixCurvature randomPsd(int d, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] g = new double[n][d];
    for (double[] row : g) {
      for (int i = 0; i < d; i++) {
        row[i] = rng.nextGaussian();
      }
    }
    double[][] a = new double[d][d];
    for (double[] row : g) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          a[i][j] += row[i] * row[j] / n;
        }
      }
    }
    return new MatrixCurvature(a, 0, seed);
  }

  /** A symmetric matrix with eigenvalues of both signs. */
  static MatrixCurvature indefinite(int d, long seed) {
    MatrixCurvature psd = randomPsd(d, d, seed);
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      a[i] = psd.a[i].clone();
      a[i][i] -= 1.0;
    }
    return new MatrixCurvature(a, 0, seed);
  }

  MatrixCurvature withNoisyBatches(double noise, long noiseSeed) {
    return new MatrixCurvature(a, noise, noiseSeed);
  }

  double[][] matrix() {
    return a;
  }

  double largestEigenvalue() {
    double[] values = new EigenDecomposition(new Array2DRowRealMatrix(a)).getRealEigenvalues();
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Override
  public int dim() {
    return a.length;
  }

  @Override
  public double[][] apply(double[][] directions) {
    return multiply(a, directions);
  }

  @Override
  public double[][] applySample(double[][] directions, long step) {
    if (noise == 0) {
      return apply(directions);
    }
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + step);
    int d = a.length;
    double[][] b = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double e = noise * rng.nextGaussian() / Math.sqrt(d);
        b[i][j] = a[i][j] + e;
        b[j][i] = a[j][i] + e;
      }
    }
    return multiply(b, directions);
  }

  private static double[][] multiply(double[][] m, double[][] directions) {
    double[][] out = new double[directions.length][m.length];
    for (int k = 0; k < directions.length; k++) {
      for (int i = 0; i < m.length; i++) {
        double s = 0;
        for (int j = 0; j < m.length; j++) {
          s += m[i][j] * directions[k][j];
        }
        out[k][i] = s;
      }
    }
    return out;
  }
}
