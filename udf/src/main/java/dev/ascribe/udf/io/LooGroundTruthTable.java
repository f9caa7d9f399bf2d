package dev.ascribe.udf.io;

import dev.ascribe.core.metric.LooGroundTruth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Writes and reads the {@link TableFormat#LOO_GROUND_TRUTH LOO groundtruth} table as core's
 * {@link LooGroundTruth}. The table is small (K x m rows: 100 removed examples x 500 queries), so
 * it is written as one file from the driver and collected whole when read.
 */
public final class LooGroundTruthTable {
  private LooGroundTruthTable() {}

  /** Writes one row per (removed example, query), sorted by (removed_id, query_id). */
  public static void write(SparkSession spark, LooGroundTruth truth, String path,
      boolean overwrite) {
    List<Row> rows = new ArrayList<>(truth.numRemoved() * truth.queryIds().length);
    for (int r = 0; r < truth.numRemoved(); r++) {
      for (int q = 0; q < truth.queryIds().length; q++) {
        rows.add(RowFactory.create(truth.removedIds()[r], truth.queryIds()[q],
            truth.logp()[r][q], truth.margin()[r][q], truth.fullLogp()[q],
            truth.fullMargin()[q]));
      }
    }
    ParquetTables.write(spark.createDataFrame(rows, TableFormat.LOO_GROUND_TRUTH.schema()),
        TableFormat.LOO_GROUND_TRUTH, path, overwrite, 1);
  }

  /**
   * Reads the table: removed examples in removed_id order, queries in query_id order.
   *
   * @throws InvalidTableException if the table is missing, incomplete or mistyped, a value is
   *     null, a key repeats, the removed examples do not all have the same queries, or two rows
   *     disagree on a query's full-model output
   */
  public static LooGroundTruth read(SparkSession spark, String path) {
    List<Row> rows = Tables.collectSorted(
        ParquetTables.read(spark, TableFormat.LOO_GROUND_TRUTH, path),
        TableFormat.LOO_GROUND_TRUTH, path);
    KeyOrder.requireUnique(rows, TableFormat.LOO_GROUND_TRUTH, path);
    List<Long> removed = new ArrayList<>();
    List<double[]> logp = new ArrayList<>();
    List<double[]> margin = new ArrayList<>();
    long[] queryIds = null;
    double[] fullLogp = null;
    double[] fullMargin = null;
    int r = 0;
    while (r < rows.size()) {
      // Sorted by (removed_id, query_id): one removed example's rows are contiguous.
      int start = r;
      long id = values(path, rows.get(r)).getLong(Columns.REMOVED_ID);
      while (r < rows.size() && values(path, rows.get(r)).getLong(Columns.REMOVED_ID) == id) {
        r++;
      }
      int m = r - start;
      long[] queries = new long[m];
      double[][] v = new double[4][m]; // logp, margin, full_logp, full_margin
      for (int i = 0; i < m; i++) {
        RowValues row = values(path, rows.get(start + i));
        queries[i] = row.getLong(Columns.QUERY_ID);
        v[0][i] = row.getDouble(Columns.LOGP);
        v[1][i] = row.getDouble(Columns.MARGIN);
        v[2][i] = row.getDouble(Columns.FULL_LOGP);
        v[3][i] = row.getDouble(Columns.FULL_MARGIN);
      }
      if (queryIds == null) {
        queryIds = queries;
        fullLogp = v[2];
        fullMargin = v[3];
      } else if (!Arrays.equals(queries, queryIds)) {
        throw new InvalidTableException(path, "removed_id=" + id + " has " + m
            + " queries, not the same as removed_id=" + removed.get(0)
            + "'s: every removed example needs a row for each of the same queries");
      } else if (!Arrays.equals(v[2], fullLogp) || !Arrays.equals(v[3], fullMargin)) {
        throw new InvalidTableException(path, "removed_id=" + id + " records other full-model"
            + " outputs than removed_id=" + removed.get(0) + ": the table must come from one"
            + " full model");
      }
      removed.add(id);
      logp.add(v[0]);
      margin.add(v[1]);
    }
    if (queryIds == null) {
      throw new InvalidTableException(path, "has no rows: expected one per removed example and"
          + " query");
    }
    return new LooGroundTruth(removed.stream().mapToLong(Long::longValue).toArray(), queryIds,
        fullLogp, fullMargin, logp.toArray(double[][]::new), margin.toArray(double[][]::new));
  }

  private static RowValues values(String path, Row row) {
    return new RowValues(path, row, TableFormat.LOO_GROUND_TRUTH);
  }
}
