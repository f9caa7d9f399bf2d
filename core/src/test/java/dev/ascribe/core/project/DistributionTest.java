package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Entry distributions. Tolerances are 5 standard errors of the statistic for the sample size n (or
 * a Kolmogorov–Smirnov critical value at alpha = 1e-6), so a correct generator fails with
 * probability well below 1e-5; the seeds are fixed, so the outcome is deterministic.
 */
class DistributionTest {
  private static final int K = 256;
  private static final int D = 8192; // two blocks of 4096: 2^21 entries

  /** All entries times sqrt(k), block 0 then block 1, each row-major. */
  private static double[] standardized(ProjectionKind kind) {
    DenseProjection p =
        (DenseProjection) Projection.of(
            ProjectionOptions.builder().setDim(K).optKind(kind).optSeed(2024).build(), D);
    double[] out = new double[K * D];
    int pos = 0;
    for (int b = 0; b < p.numBlocks(); b++) {
      double[] block = p.blockAsDouble(b);
      for (double v : block) {
        out[pos++] = v * Math.sqrt(K);
      }
    }
    return out;
  }

  private static double mean(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s / (to - from);
  }

  /** Correlation of x[i] with x[i + lag] over all valid i. */
  private static double correlation(double[] x, int lag, int from, int to) {
    double sxy = 0;
    double sxx = 0;
    for (int i = from; i + lag < to; i++) {
      sxy += x[i] * x[i + lag];
      sxx += x[i] * x[i];
    }
    return sxy / sxx;
  }

  @Test
  void gaussianEntriesAreStandardNormalAfterScaling() {
    double[] z = standardized(ProjectionKind.GAUSSIAN);
    int n = z.length;
    double mean = mean(z, 0, n);
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (double v : z) {
      double c = v - mean;
      m2 += c * c;
      m3 += c * c * c;
      m4 += c * c * c * c;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    double se = 1 / Math.sqrt(n);
    assertEquals(0, mean, 5 * se, "mean");
    assertEquals(1, m2, 5 * Math.sqrt(2.0 / n), "variance");
    assertEquals(0, m3 / Math.pow(m2, 1.5), 5 * Math.sqrt(6.0 / n), "skewness");
    assertEquals(3, m4 / (m2 * m2), 5 * Math.sqrt(24.0 / n), "kurtosis");

    // Box–Muller pairs are adjacent counters; they and the two blocks must be uncorrelated.
    assertEquals(0, correlation(z, 1, 0, n), 5 * se, "adjacent (pair) correlation");
    assertEquals(0, correlation(z, n / 2, 0, n), 5 * Math.sqrt(2.0 / n), "block 0 vs block 1");

    double[] sorted = z.clone();
    Arrays.sort(sorted);
    NormalDistribution normal = new NormalDistribution(0, 1);
    double ks = 0;
    for (int i = 0; i < n; i++) {
      double cdf = normal.cumulativeProbability(sorted[i]);
      ks = Math.max(ks, Math.max(cdf - (double) i / n, (double) (i + 1) / n - cdf));
    }
    double critical = Math.sqrt(Math.log(2 / 1e-6) / (2.0 * n));
    assertTrue(ks < critical, "Kolmogorov-Smirnov distance " + ks + " >= " + critical);
  }

  @Test
  void rademacherEntriesAreExactlyPlusOrMinusScale() {
    DenseProjection p =
        (DenseProjection) Projection.of(
            ProjectionOptions.builder()
                .setDim(K)
                .optKind(ProjectionKind.RADEMACHER)
                .optSeed(2024)
                .build(),
            D);
    double scale = 1 / Math.sqrt(K);
    float scale32 = (float) scale;
    long positive = 0;
    long total = 0;
    for (int b = 0; b < p.numBlocks(); b++) {
      for (double v : p.blockAsDouble(b)) {
        assertTrue(v == scale || v == -scale, "entry " + v);
        positive += v > 0 ? 1 : 0;
        total++;
      }
      for (float v : p.block(b)) {
        assertTrue(v == scale32 || v == -scale32, "float entry " + v);
      }
    }
    assertEquals(0.5, (double) positive / total, 5 * 0.5 / Math.sqrt(total), "fraction of +1");
    double[] z = standardized(ProjectionKind.RADEMACHER);
    double se = 1 / Math.sqrt(z.length);
    assertEquals(0, correlation(z, 1, 0, z.length), 5 * se, "adjacent correlation");
    assertEquals(0, correlation(z, 64, 0, z.length), 5 * se, "next 64-bit word");
  }
}
