package dev.ascribe.core.metric;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Pearson and Spearman correlation of two paired samples.
 *
 * <p>Both return {@code NaN}, rather than throwing, when the correlation is undefined: when either
 * side is constant (all values exactly equal, so its variance is zero) or holds a {@code NaN}.
 * Metrics report such cases as skipped (see {@link SummaryStat}). A length mismatch or fewer than
 * two pairs is a caller error and throws {@link IllegalArgumentException}.
 *
 * <p>Spearman ranks ties by their average rank (fractional ranking, Commons Math's {@link
 * TiesStrategy#AVERAGE}) and then takes the Pearson correlation of the ranks; this is what {@code
 * scipy.stats.spearmanr} computes. It is not the shortcut {@code 1 - 6 Σd² / (n(n² - 1))}, which
 * is only exact without ties.
 *
 * <p>Pearson is computed here with two centred passes, {@code Σ dx dy / sqrt(Σ dx² Σ dy²)}, instead
 * of Commons Math's {@code PearsonsCorrelation.correlation(double[], double[])}: that one goes
 * through {@code sqrt(R²)} of a regression, which loses the digits of correlations near zero
 * (an absolute error around 1e-8 instead of a relative one around 1e-16).
 */
public final class Correlations {
  private static final NaturalRanking RANKING =
      new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

  private Correlations() {}

  /**
   * Spearman's rank correlation of the pairs {@code (x[i], y[i])}, ties given their average rank.
   *
   * @param x first sample, length n ≥ 2; infinite values are ranked like any other value
   * @param y second sample, length n
   * @return the correlation in [-1, 1], or {@code NaN} if either side is constant or holds a NaN
   * @throws IllegalArgumentException if the lengths differ or n &lt; 2
   */
  public static double spearman(double[] x, double[] y) {
    checkPairs("spearman", x, y);
    if (hasNaN(x) || hasNaN(y) || isConstant(x) || isConstant(y)) {
      return Double.NaN;
    }
    return centredPearson(RANKING.rank(x), RANKING.rank(y));
  }

  /**
   * Pearson's (linear) correlation of the pairs {@code (x[i], y[i])}.
   *
   * @param x first sample, length n ≥ 2
   * @param y second sample, length n
   * @return the correlation in [-1, 1], or {@code NaN} if either side is constant or holds a value
   *     that is not finite
   * @throws IllegalArgumentException if the lengths differ or n &lt; 2
   */
  public static double pearson(double[] x, double[] y) {
    checkPairs("pearson", x, y);
    if (!allFinite(x) || !allFinite(y) || isConstant(x) || isConstant(y)) {
      return Double.NaN;
    }
    return centredPearson(x, y);
  }

  /** Two-pass Pearson of finite, non-constant samples, clamped to [-1, 1] against rounding. */
  private static double centredPearson(double[] x, double[] y) {
    int n = x.length;
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanX += x[i];
      meanY += y[i];
    }
    meanX /= n;
    meanY /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - meanX;
      double dy = y[i] - meanY;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    // sqrt(sxx * syy) keeps perfect agreement at exactly ±1 (sqrt(fl(a²)) == a); the product of
    // square roots is the fallback when the product over- or underflows.
    double denominator = Math.sqrt(sxx * syy);
    if (!(denominator > 0 && denominator < Double.POSITIVE_INFINITY)) {
      denominator = Math.sqrt(sxx) * Math.sqrt(syy);
    }
    double r = sxy / denominator;
    return Math.max(-1.0, Math.min(1.0, r));
  }

  private static void checkPairs(String what, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          what + " correlation given samples of lengths " + x.length + " and " + y.length
              + ": expected paired samples of equal length");
    }
    if (x.length < 2) {
      throw new IllegalArgumentException(
          what + " correlation given samples of lengths " + x.length + " and " + y.length
              + ": expected at least 2 pairs");
    }
  }

  private static boolean hasNaN(double[] v) {
    for (double d : v) {
      if (Double.isNaN(d)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allFinite(double[] v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConstant(double[] v) {
    for (int i = 1; i < v.length; i++) {
      if (v[i] != v[0]) {
        return false;
      }
    }
    return true;
  }
}
