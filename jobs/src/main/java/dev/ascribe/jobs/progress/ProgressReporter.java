package dev.ascribe.jobs.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one long stage for a person watching: units done of the total, the rate, and an
 * estimate of the time left, printed as one line at most every {@code interval}, and a last line
 * when the stage took long enough to have printed one. Knows nothing of Spark or of what the units
 * are; {@link SparkProgress} feeds it finished tasks.
 *
 * <p>Not thread-safe: one caller (Spark's listener bus thread) updates it.
 */
public final class ProgressReporter {
  private final String stage;
  private final String unit;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final long start;
  private long lastPrinted;
  private boolean printed;

  /**
   * @param stage the stage's name, first on every line (e.g. "featurize")
   * @param unit what is counted, plural (e.g. "tasks")
   * @param out where lines go (stderr in the command line)
   * @param nanoClock the clock, {@code System::nanoTime} outside tests
   * @param intervalNanos least time between two lines, and before the first
   */
  public ProgressReporter(String stage, String unit, PrintStream out, LongSupplier nanoClock,
      long intervalNanos) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("progress interval given " + intervalNanos
          + " ns: must be >= 0");
    }
    this.stage = stage;
    this.unit = unit;
    this.out = out;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
    this.start = nanoClock.getAsLong();
    this.lastPrinted = start;
  }

  /**
   * Reports {@code done} of {@code total} units, printing a line if {@code interval} has passed
   * since the last one (or since the start).
   *
   * @param rows rows the finished units wrote, shown when positive
   */
  public void update(long done, long total, long rows) {
    long now = nanoClock.getAsLong();
    // The last unit's line is finish's, which adds the time taken.
    if (now - lastPrinted < intervalNanos || done >= total) {
      return;
    }
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String left = done > 0 && rate > 0 && total >= done
        ? String.format(Locale.ROOT, ", about %s left", duration((total - done) / rate))
        : "";
    out.println(String.format(Locale.ROOT, "%s: %d of %d %s done%s, %.2f %s/s%s", stage, done,
        total, unit, rowsPart(rows), rate, unit, left));
    lastPrinted = now;
    printed = true;
  }

  /**
   * Ends the stage: prints the final count and time if a progress line was printed or the stage
   * took at least {@code interval}, so a short stage stays silent.
   */
  public void finish(long done, long total, long rows) {
    long now = nanoClock.getAsLong();
    if (!printed && now - start < intervalNanos) {
      return;
    }
    double seconds = (now - start) / 1e9;
    out.println(String.format(Locale.ROOT, "%s: %d of %d %s done%s in %s", stage, done, total,
        unit, rowsPart(rows), duration(seconds)));
  }

  private static String rowsPart(long rows) {
    return rows > 0 ? String.format(Locale.ROOT, " (%,d rows written)", rows) : "";
  }

  /** Seconds as "42 s", "3 min 5 s" or "2 h 4 min". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }
}
