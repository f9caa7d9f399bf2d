package dev.ascribe.core.metric;

import java.util.Locale;

/**
 * Mean and standard error of a per-query metric, with {@code NaN} values (queries where the metric
 * is undefined, e.g. a constant ground truth) left out and counted.
 *
 * @param mean mean of the non-NaN values; {@code NaN} if there are none
 * @param stdError sample standard deviation (divisor {@code count - 1}) over {@code sqrt(count)};
 *     {@code NaN} if fewer than 2 values were used
 * @param count number of values used
 * @param skipped number of values left out because they were {@code NaN}
 */
public record SummaryStat(double mean, double stdError, int count, int skipped) {

  /**
   * Summarizes {@code values}, skipping {@code NaN}s. Infinite values are kept (and make the mean
   * infinite or NaN), since they signal a problem rather than an undefined metric.
   */
  public static SummaryStat of(double[] values) {
    int count = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        count++;
        sum += v;
      }
    }
    int skipped = values.length - count;
    if (count == 0) {
      return new SummaryStat(Double.NaN, Double.NaN, 0, skipped);
    }
    double mean = sum / count;
    if (count == 1) {
      return new SummaryStat(mean, Double.NaN, 1, skipped);
    }
    double squares = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        double d = v - mean;
        squares += d * d;
      }
    }
    double std = Math.sqrt(squares / (count - 1));
    return new SummaryStat(mean, std / Math.sqrt(count), count, skipped);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%.4f ± %.4f (n = %d, %d skipped as NaN)", mean, stdError, count, skipped);
  }
}
