package dev.ascribe.jobs.report;

import java.util.Locale;

/** How the page writes numbers: one place, so tests compare the page with the files exactly. */
final class Numbers {
  private Numbers() {}

  /** A metric (LDS, its standard error, a correlation, an AUC): four decimals. */
  static String metric(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** A score: four significant digits (scores range over orders of magnitude). */
  static String score(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  /** A value read from JSON: whole numbers without decimals, others as {@link #metric}. */
  static String json(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15
          ? Long.toString((long) d) : metric(d);
    }
    return String.valueOf(value);
  }
}
