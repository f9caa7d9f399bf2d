package dev.ascribe.udf.io;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.apache.spark.sql.Row;

/** Key order and key uniqueness, for arrays about to be written and rows just read. */
final class KeyOrder {
  private KeyOrder() {}

  /**
   * The indices {@code 0..n-1} sorted by {@code order}.
   *
   * @param describe the key of index i, for the message
   * @throws IllegalArgumentException naming the first key that occurs twice
   */
  static int[] sortedUnique(
      int n, Comparator<Integer> order, IntFunction<String> describe, String what) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, order);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = idx[i];
      if (i > 0 && order.compare(idx[i - 1], idx[i]) == 0) {
        throw new IllegalArgumentException(
            what + ": key " + describe.apply(idx[i]) + " occurs twice: keys must be unique");
      }
    }
    return out;
  }

  /**
   * Checks that rows collected in key order have no repeated key.
   *
   * @throws InvalidTableException naming the table and the repeated key
   */
  static void requireUnique(List<Row> sorted, TableFormat format, String path) {
    int[] cols = null;
    for (int r = 1; r < sorted.size(); r++) {
      Row a = sorted.get(r - 1);
      Row b = sorted.get(r);
      if (cols == null) {
        cols = format.keys().stream().mapToInt(a::fieldIndex).toArray();
      }
      boolean same = true;
      for (int c : cols) {
        same &= Objects.equals(a.get(c), b.get(c));
      }
      if (same) {
        throw new InvalidTableException(path, "key " + RowValues.key(b, format.keys())
            + " occurs twice: " + format.aTable() + " has one row per key");
      }
    }
  }
}
