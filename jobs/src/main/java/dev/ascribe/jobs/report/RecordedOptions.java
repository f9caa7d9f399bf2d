package dev.ascribe.jobs.report;

import dev.ascribe.jobs.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's configuration as its {@code _ascribe.json} recorded it: the options set explicitly,
 * replayed as {@code --set} pairs over the reference defaults, so that the report sees the same
 * setting (data rows, models) the run used without being told again.
 */
final class RecordedOptions {
  private RecordedOptions() {}

  /**
   * @param provenance a stage's {@code _ascribe.json} as read by {@code Provenance.read}
   * @param where the file, for messages
   * @param overrides {@code --set} pairs applied after the recorded ones
   * @throws IllegalArgumentException if the record holds no options
   */
  static JobConfig config(Map<String, Object> provenance, String where, List<String> overrides) {
    if (!(provenance.get("options") instanceof Map<?, ?> options)
        || !(options.get("explicit") instanceof Map<?, ?> explicit)) {
      throw new IllegalArgumentException(where + " records no options.explicit: it was not"
          + " written by an ascribe job that records its options");
    }
    List<String> sets = new ArrayList<>();
    explicit.forEach((key, value) -> sets.add(key + "=" + hocon(value)));
    sets.addAll(overrides);
    return JobConfig.load(null, sets);
  }

  /** A value as JSON gave it back, written as the command line would (5000, not 5000.0). */
  static String hocon(Object value) {
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return Long.toString(d.longValue());
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(v -> items.add(hocon(v)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(value);
  }
}
