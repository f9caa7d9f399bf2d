package dev.ascribe.jobs.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The valid keys closest to an unknown one, for "did you mean" messages: a typo ({@code
 * train.epoch}) is answered with {@code train.epochs}, not with the hundred keys there are.
 */
final class NearestKeys {
  /** At most this many suggestions. */
  static final int MAX = 3;

  private NearestKeys() {}

  /**
   * The keys within a few edits of {@code key} (about one in four characters, at least two), or
   * ending in the same last part ({@code dim} finds {@code projection.dim}), nearest first.
   */
  static List<String> of(String key, Set<String> valid) {
    int limit = Math.max(2, key.length() / 4);
    String last = key.substring(key.lastIndexOf('.') + 1);
    return valid.stream()
        .filter(k -> distance(key, k) <= limit || k.endsWith("." + last))
        .sorted(Comparator.comparingInt((String k) -> distance(key, k))
            .thenComparing(Comparator.naturalOrder()))
        .limit(MAX).toList();
  }

  /** The keys of {@code key}'s first section ({@code train.*} for {@code train.x}), sorted. */
  static Set<String> sameSection(String key, Set<String> valid) {
    String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key + ".";
    Set<String> out = new TreeSet<>();
    valid.stream().filter(k -> k.startsWith(section)).forEach(out::add);
    return out;
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
