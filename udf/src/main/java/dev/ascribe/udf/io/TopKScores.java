package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A {@link TableFormat#SCORES_TOP_K top-K scores} table in memory: parallel arrays of length r,
 * one entry per (query, kind, rank). Ranks start at 1 (the strongest). Arrays are shared, not
 * copied.
 *
 * @param queryIds query ids
 * @param ranks 1 = strongest proponent or opponent of the query
 * @param exampleIds the training example at that rank
 * @param scores its attribution score (positive = helpful)
 * @param kinds proponent or opponent
 */
public record TopKScores(
    long[] queryIds, int[] ranks, long[] exampleIds, double[] scores, TopK.Kind[] kinds) {
  /** @throws IllegalArgumentException if the arrays differ in length or a kind is null */
  public TopKScores {
    int n = queryIds.length;
    if (ranks.length != n || exampleIds.length != n || scores.length != n || kinds.length != n) {
      throw new IllegalArgumentException("top-K scores: " + n + " query ids, " + ranks.length
          + " ranks, " + exampleIds.length + " example ids, " + scores.length + " scores and "
          + kinds.length + " kinds: all must have the same length");
    }
    for (int i = 0; i < n; i++) {
      if (kinds[i] == null) {
        throw new IllegalArgumentException("top-K scores: kind of query_id=" + queryIds[i]
            + ", rank=" + ranks[i] + " is null: expected PROPONENT or OPPONENT");
      }
    }
  }

  /** Number of rows. */
  public int size() {
    return queryIds.length;
  }

  /** Rows in key order (query_id, kind, rank); kinds sort by their stored string. */
  List<Row> toRows() {
    Comparator<Integer> byKey = Comparator.<Integer>comparingLong(i -> queryIds[i])
        .thenComparing(i -> kinds[i].value())
        .thenComparingInt(i -> ranks[i]);
    int[] order = KeyOrder.sortedUnique(size(), byKey, i -> "query_id=" + queryIds[i]
        + ", kind=" + kinds[i].value() + ", rank=" + ranks[i], "top-K scores");
    List<Row> rows = new ArrayList<>(size());
    for (int i : order) {
      rows.add(RowFactory.create(queryIds[i], ranks[i], exampleIds[i], scores[i],
          kinds[i].value()));
    }
    return rows;
  }

  /** Rows collected in key order from a conformed table. */
  static TopKScores fromRows(List<Row> rows, String path) {
    KeyOrder.requireUnique(rows, TableFormat.SCORES_TOP_K, path);
    int n = rows.size();
    long[] queryIds = new long[n];
    int[] ranks = new int[n];
    long[] exampleIds = new long[n];
    double[] scores = new double[n];
    TopK.Kind[] kinds = new TopK.Kind[n];
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      RowValues v = new RowValues(path, row, TableFormat.SCORES_TOP_K);
      queryIds[r] = v.getLong(Columns.QUERY_ID);
      ranks[r] = v.getInt(Columns.RANK);
      exampleIds[r] = v.getLong(Columns.EXAMPLE_ID);
      scores[r] = v.getDouble(Columns.SCORE);
      try {
        kinds[r] = TopK.Kind.of(v.getString(Columns.KIND));
      } catch (IllegalArgumentException e) {
        throw new InvalidTableException(path, "row " + v.key() + ": " + e.getMessage(), e);
      }
    }
    return new TopKScores(queryIds, ranks, exampleIds, scores, kinds);
  }
}
