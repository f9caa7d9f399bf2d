package dev.ascribe.udf.io;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a {@link TableFormat#GROUND_TRUTH groundtruth} table without collecting its repeated
 * subsets. The table stores each model's subset on every one of its m rows, so collecting it
 * whole moves M x m x |S| example ids (50 MNIST models: 62.5 million boxed longs, 2 GB of heap);
 * instead Spark checks that a model's rows agree on the subset (by a 64-bit hash of each row's
 * subset) and the driver collects one subset per model and the M x m values.
 */
final class GroundTruthReader {
  private static final String ROWS = "rows";
  private static final String SET = "set";
  private static final String LOW = "low";
  private static final String HIGH = "high";

  private GroundTruthReader() {}

  /** The table as arrays; see {@link Tables#readGroundTruth} for the checks. */
  static GroundTruth read(Dataset<Row> table, String path) {
    // Values first: their reader names nulls and repeated keys row by row.
    List<Row> values = Tables.collectSorted(table.select(col(Columns.MODEL_ID),
        col(Columns.QUERY_ID), col(Columns.LOGP), col(Columns.MARGIN)),
        TableFormat.GROUND_TRUTH, path);
    return GroundTruth.fromRows(values, subsets(table, path), path);
  }

  /** model_id to its subset, after checking that every row of the model holds the same one. */
  private static Map<Integer, long[]> subsets(Dataset<Row> table, String path) {
    List<Row> stats = ParquetTables.readingFailuresNamed(path, () -> table
        .groupBy(col(Columns.MODEL_ID))
        .agg(count(lit(1)).as(ROWS), count(col(Columns.SUBSET)).as(SET),
            min(xxhash64(col(Columns.SUBSET))).as(LOW),
            max(xxhash64(col(Columns.SUBSET))).as(HIGH),
            min(col(Columns.QUERY_ID)).as(Columns.QUERY_ID))
        .collectAsList());
    List<Row> firstRows = new ArrayList<>();
    for (Row s : stats) {
      int model = s.getInt(s.fieldIndex(Columns.MODEL_ID));
      if (s.getLong(s.fieldIndex(SET)) < s.getLong(s.fieldIndex(ROWS))) {
        throw nullSubset(table, model, path);
      }
      if (s.getLong(s.fieldIndex(LOW)) != s.getLong(s.fieldIndex(HIGH))) {
        throw new InvalidTableException(path, "model_id=" + model + " has different subsets"
            + " on different rows: expected one subset per model");
      }
      firstRows.add(RowFactory.create(model, s.getLong(s.fieldIndex(Columns.QUERY_ID))));
    }
    StructType keys = new StructType()
        .add(Columns.MODEL_ID, DataTypes.IntegerType, false)
        .add(Columns.QUERY_ID, DataTypes.LongType, false);
    Dataset<Row> first = table.sparkSession().createDataFrame(firstRows, keys);
    List<Row> picked = ParquetTables.readingFailuresNamed(path, () -> table
        .join(broadcast(first), new String[] {Columns.MODEL_ID, Columns.QUERY_ID})
        .select(col(Columns.MODEL_ID), col(Columns.QUERY_ID), col(Columns.SUBSET))
        .collectAsList());
    Map<Integer, long[]> subsets = new HashMap<>();
    for (Row row : picked) {
      RowValues v = new RowValues(path, row, TableFormat.GROUND_TRUTH);
      subsets.put(v.getInt(Columns.MODEL_ID), v.getLongs(Columns.SUBSET));
    }
    return subsets;
  }

  /** Names the first row (by query_id) of {@code model} whose subset is null. */
  private static InvalidTableException nullSubset(Dataset<Row> table, int model, String path) {
    Row row = ParquetTables.readingFailuresNamed(path, () -> table
        .where(col(Columns.MODEL_ID).equalTo(model).and(col(Columns.SUBSET).isNull()))
        .select(min(col(Columns.QUERY_ID)))
        .first());
    return new InvalidTableException(path, "row model_id=" + model + ", query_id="
        + row.get(0) + " has a null " + Columns.SUBSET
        + ": every value of an Ascribe table must be set");
  }
}
