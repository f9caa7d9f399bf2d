package dev.ascribe.jobs.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which queries the page shows, from {@code --queries}: a list of query ids ({@code 0,1,2}; one id
 * as {@code 7,}) or a count of the first queries in the run's order ({@code 12}).
 */
final class QueryChoice {
  /** Queries shown when --queries is not given. */
  static final int DEFAULT_COUNT = 3;

  private QueryChoice() {}

  /**
   * The chosen query ids, in the order given.
   *
   * @param option the --queries value, or null for the first {@value #DEFAULT_COUNT}
   * @param runQueries the run's query ids, in its order
   * @throws IllegalArgumentException for a malformed value or an id that is not a query of the run
   */
  static long[] choose(String option, long[] runQueries) {
    if (option == null) {
      return Arrays.copyOf(runQueries, Math.min(DEFAULT_COUNT, runQueries.length));
    }
    String value = option.trim();
    if (!value.contains(",")) {
      int count = parse(value, option);
      if (count < 1) {
        throw new IllegalArgumentException("--queries " + option + ": a count must be >= 1 (for"
            + " query id 0 alone write --queries 0,)");
      }
      return Arrays.copyOf(runQueries, Math.min(count, runQueries.length));
    }
    List<Long> ids = new ArrayList<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      long id = parse(part.trim(), option);
      if (Arrays.stream(runQueries).noneMatch(q -> q == id)) {
        throw new IllegalArgumentException("--queries " + option + ": query id " + id
            + " is not a query of this run; its " + runQueries.length + " queries have ids "
            + range(runQueries));
      }
      ids.add(id);
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static int parse(String number, String option) {
    try {
      return Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--queries " + option + ": '" + number + "' is not a"
          + " whole number; expected query ids like 0,1,2 or a count like 12", e);
    }
  }

  private static String range(long[] ids) {
    long lo = Arrays.stream(ids).min().orElse(0);
    long hi = Arrays.stream(ids).max().orElse(-1);
    return ids.length == hi - lo + 1 ? lo + ".." + hi
        : "from " + lo + " to " + hi + " (not every id between)";
  }
}
