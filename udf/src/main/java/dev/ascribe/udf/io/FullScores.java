package dev.ascribe.udf.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A {@link TableFormat#SCORES_FULL full scores} table in memory: the n x m score matrix, rows =
 * training examples, columns = queries, positive = helpful. Arrays are shared, not copied.
 *
 * @param exampleIds training example ids, length n (row order of {@code scores})
 * @param queryIds query ids, length m (column order of {@code scores}; stored in the table's
 *     {@code _queries.json})
 * @param scores {@code [example][query]}, n rows of length m
 */
public record FullScores(long[] exampleIds, long[] queryIds, float[][] scores) {
  /**
   * @throws IllegalArgumentException if the shapes disagree or a query id occurs twice
   */
  public FullScores {
    if (scores.length != exampleIds.length) {
      throw new IllegalArgumentException("full scores: " + exampleIds.length
          + " example ids but " + scores.length + " score rows: expected one row per example");
    }
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] == null || scores[i].length != queryIds.length) {
        throw new IllegalArgumentException("full scores: row of example_id=" + exampleIds[i]
            + " has " + (scores[i] == null ? "no" : String.valueOf(scores[i].length))
            + " scores: expected one per query, " + queryIds.length);
      }
    }
    KeyOrder.sortedUnique(queryIds.length, Comparator.comparingLong(j -> queryIds[j]),
        j -> "query_id=" + queryIds[j], "full scores query ids");
  }

  /** Rows in key order (example_id). */
  List<Row> toRows() {
    int[] order = KeyOrder.sortedUnique(exampleIds.length,
        Comparator.comparingLong(i -> exampleIds[i]), i -> "example_id=" + exampleIds[i],
        "full scores");
    List<Row> rows = new ArrayList<>(exampleIds.length);
    for (int i : order) {
      rows.add(RowFactory.create(exampleIds[i], scores[i]));
    }
    return rows;
  }

  /** Rows collected in key order from a conformed table, with the query order read beside it. */
  static FullScores fromRows(List<Row> rows, long[] queryIds, String path) {
    KeyOrder.requireUnique(rows, TableFormat.SCORES_FULL, path);
    long[] ids = new long[rows.size()];
    float[][] scores = new float[rows.size()][];
    for (int r = 0; r < ids.length; r++) {
      Row row = rows.get(r);
      RowValues v = new RowValues(path, row, TableFormat.SCORES_FULL);
      ids[r] = v.getLong(Columns.EXAMPLE_ID);
      scores[r] = v.getFloats(Columns.SCORES);
      if (scores[r].length != queryIds.length) {
        throw new InvalidTableException(path, "row example_id=" + ids[r] + " has "
            + scores[r].length + " scores: expected " + queryIds.length + ", one per query in "
            + QueriesFile.NAME);
      }
    }
    return new FullScores(ids, queryIds, scores);
  }
}
