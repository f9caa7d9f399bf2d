package dev.ascribe.core.linalg;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Seeded feature matrices and plain matrix arithmetic shared by the linalg tests. */
final class Fixtures {
  private Fixtures() {}

  /** n x k standard normal features, float32, seeded. */
  static float[][] gaussianRows(int n, int k, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] rows = new float[n][k];
    for (float[] row : rows) {
      for (int j = 0; j < k; j++) {
        row[j] = (float) nextGaussian(random);
      }
    }
    return rows;
  }

  static double nextGaussian(SplittableRandom random) {
    // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  static float[] rowMajor(float[][] rows) {
    int k = rows[0].length;
    float[] flat = new float[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * k, k);
    }
    return flat;
  }

  static float[][] slice(float[][] rows, int from, int to) {
    float[][] out = new float[to - from][];
    System.arraycopy(rows, from, out, 0, to - from);
    return out;
  }

  /** The kernel of the given rows, accumulated in plain Java. */
  static Kernel kernelOf(float[][] rows) {
    return Kernel.of(new GramAccumulator(rows[0].length).add(rows));
  }

  /** F + λI as an EJML matrix. */
  static DMatrixRMaj shifted(Kernel kernel, double lambda) {
    int k = kernel.k();
    DMatrixRMaj a = DMatrixRMaj.wrap(k, k, kernel.meanGram());
    for (int i = 0; i < k; i++) {
      a.add(i, i, lambda);
    }
    return a;
  }

  static double[] times(DMatrixRMaj a, double[] v) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, 1);
    CommonOps_DDRM.mult(a, DMatrixRMaj.wrap(v.length, 1, v.clone()), out);
    return out.data;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
