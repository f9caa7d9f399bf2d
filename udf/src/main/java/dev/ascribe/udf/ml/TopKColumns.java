package dev.ascribe.udf.ml;

import static dev.ascribe.udf.ml.AttributionModel.OPPONENT_IDS;
import static dev.ascribe.udf.ml.AttributionModel.OPPONENT_SCORES;
import static dev.ascribe.udf.ml.AttributionModel.PROPONENT_IDS;
import static dev.ascribe.udf.ml.AttributionModel.PROPONENT_SCORES;

import dev.ascribe.core.score.TopK;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link AttributionModel#transform} adds: their schema, and a small table of them
 * keyed by query id (built on the driver from the merged top-K selections) to join the queries
 * with.
 */
final class TopKColumns {
  /** The join key of the table; dropped after the join. */
  static final String KEY = "__ascribe_query_id";

  private static final DataType IDS = DataTypes.createArrayType(DataTypes.LongType, false);
  private static final DataType SCORES = DataTypes.createArrayType(DataTypes.DoubleType, false);

  private TopKColumns() {}

  /** The four output columns, nullable as a left join makes them. */
  static StructField[] fields() {
    return new StructField[] {
      new StructField(PROPONENT_IDS, IDS, true, Metadata.empty()),
      new StructField(PROPONENT_SCORES, SCORES, true, Metadata.empty()),
      new StructField(OPPONENT_IDS, IDS, true, Metadata.empty()),
      new StructField(OPPONENT_SCORES, SCORES, true, Metadata.empty())
    };
  }

  /**
   * {@code schema} with the output columns appended.
   *
   * @throws IllegalArgumentException if one of them is already there
   */
  static StructType appendTo(StructType schema) {
    StructType out = schema;
    for (StructField f : fields()) {
      if (InputSchema.field(schema, f.name()) != null) {
        throw new IllegalArgumentException("AttributionModel: output column '" + f.name()
            + "' already exists in the queries: drop or rename it before transform");
      }
      out = out.add(f);
    }
    return out;
  }

  /**
   * @param queryIds ascending, unique
   * @param top top[q][0] the proponents, top[q][1] the opponents of query {@code queryIds[q]}
   */
  static Dataset<Row> table(SparkSession spark, long[] queryIds, TopK[][] top) {
    List<Row> rows = new ArrayList<>(queryIds.length);
    for (int q = 0; q < queryIds.length; q++) {
      List<TopK.Entry> pro = top[q][0].sorted();
      List<TopK.Entry> opp = top[q][1].sorted();
      rows.add(RowFactory.create(queryIds[q], ids(pro), scores(pro), ids(opp), scores(opp)));
    }
    StructType schema = new StructType()
        .add(new StructField(KEY, DataTypes.LongType, false, Metadata.empty()));
    for (StructField f : fields()) {
      schema = schema.add(new StructField(f.name(), f.dataType(), false, f.metadata()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /**
   * @param queryIds ascending (as the query features are collected)
   * @throws IllegalArgumentException naming the first repeated id
   */
  static void requireUnique(long[] queryIds, String idCol) {
    for (int q = 1; q < queryIds.length; q++) {
      if (queryIds[q] == queryIds[q - 1]) {
        throw new IllegalArgumentException("AttributionModel: query id " + queryIds[q]
            + " appears more than once in column '" + idCol + "': expected unique ids");
      }
    }
  }

  private static long[] ids(List<TopK.Entry> entries) {
    return entries.stream().mapToLong(TopK.Entry::exampleId).toArray();
  }

  private static double[] scores(List<TopK.Entry> entries) {
    return entries.stream().mapToDouble(TopK.Entry::score).toArray();
  }
}
