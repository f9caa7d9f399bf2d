package dev.ascribe.jobs.report;

import java.util.Arrays;

/**
 * A histogram: {@code counts[i]} values fell in [{@code edges[i]}, {@code edges[i + 1]}), the last
 * bin closed on the right (as Spark's {@code DoubleRDD.histogram} counts).
 *
 * @param edges bin edges, ascending, length bins + 1
 * @param counts values per bin
 */
record Bins(double[] edges, long[] counts) {
  Bins {
    if (edges.length != counts.length + 1) {
      throw new IllegalArgumentException("a histogram of " + counts.length + " bins needs "
          + (counts.length + 1) + " edges: got " + edges.length);
    }
  }

  /**
   * Equal-width bins over the finite values (NaN and infinities skipped); one bin of width 1
   * around the value when all are equal.
   *
   * @throws IllegalArgumentException if no value is finite
   */
  static Bins of(double[] values, int bins) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length == 0) {
      throw new IllegalArgumentException("no finite value to draw a histogram of (among "
          + values.length + ")");
    }
    double lo = Arrays.stream(finite).min().getAsDouble();
    double hi = Arrays.stream(finite).max().getAsDouble();
    if (hi == lo) {
      return new Bins(new double[] {lo - 0.5, hi + 0.5}, new long[] {finite.length});
    }
    double[] edges = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      edges[i] = lo + (hi - lo) * i / bins;
    }
    edges[bins] = hi;
    long[] counts = new long[bins];
    for (double v : finite) {
      counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
    }
    return new Bins(edges, counts);
  }

  long total() {
    return Arrays.stream(counts).sum();
  }
}
