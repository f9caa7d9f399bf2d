package dev.ascribe.udf.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reading and writing Ascribe's tables (DESIGN.md, Formats) from and to plain Java arrays, for the
 * in-memory API and for tests; Spark jobs write their Datasets with {@link ParquetTables#write}
 * and the schemas of {@link TableFormat}.
 *
 * <p>Writers refuse to replace a complete table unless {@code overwrite} is true, write one
 * Parquet file sorted by the table's keys, and go through Spark's committer (see {@link
 * ParquetTables}). Readers check the {@code _SUCCESS} marker and the schema and return rows in
 * key order. Every problem with a table is an {@link InvalidTableException} naming its path.
 */
public final class Tables {
  private Tables() {}

  /** Writes a core dataset as input rows (id, features, label), sorted by id. */
  public static void writeInputRows(
      SparkSession spark, dev.ascribe.core.data.Dataset data, String path, boolean overwrite) {
    writeOneFile(spark, InputRows.toRows(data), TableFormat.INPUT_ROWS, path, overwrite);
  }

  /**
   * Opens an input-rows table: checks completeness and the id, features and label columns
   * (other columns are dropped).
   */
  public static Dataset<Row> readInputRows(SparkSession spark, String path) {
    return ParquetTables.read(spark, TableFormat.INPUT_ROWS, path);
  }

  /**
   * Reads input rows from named Parquet files (one partition of a partitioned table, {@link
   * InputPartitions}), checking the id, features and label columns (other columns are dropped).
   *
   * @param source the partition's description, named in messages
   */
  public static Dataset<Row> readInputFiles(SparkSession spark, String source,
      java.util.List<String> files) {
    Dataset<Row> raw = ParquetTables.readingFailuresNamed(source,
        () -> spark.read().parquet(files.toArray(new String[0])));
    return TableFormat.INPUT_ROWS.conform(raw, source);
  }

  /**
   * Collects input rows into a core dataset in id order; the feature dimension is the first
   * row's.
   *
   * @param inputRows rows with the input-rows columns (e.g. from {@link #readInputRows})
   * @param source the table's path or a description; named in messages and used as the name
   * @param numClasses number of classes; labels must lie in [0, numClasses)
   * @throws InvalidTableException for a missing or mistyped column, a null, a repeated id, or
   *     features of another length (naming the row's id)
   * @throws IllegalArgumentException for a label outside [0, numClasses)
   */
  public static dev.ascribe.core.data.Dataset toCoreDataset(
      Dataset<Row> inputRows, String source, int numClasses) {
    Dataset<Row> rows = TableFormat.INPUT_ROWS.conform(inputRows, source);
    return InputRows.toCore(collectSorted(rows, TableFormat.INPUT_ROWS, source), source,
        numClasses);
  }

  /** {@link #readInputRows} then {@link #toCoreDataset}, named after the path. */
  public static dev.ascribe.core.data.Dataset readCoreDataset(
      SparkSession spark, String path, int numClasses) {
    return toCoreDataset(readInputRows(spark, path), path, numClasses);
  }

  /** Writes a features table, sorted by (example_id, model). */
  public static void writeFeatures(
      SparkSession spark, Features features, String path, boolean overwrite) {
    writeOneFile(spark, features.toRows(), TableFormat.FEATURES, path, overwrite);
  }

  /** Reads a features table in (example_id, model) order; all phi must have one length. */
  public static Features readFeatures(SparkSession spark, String path) {
    return Features.fromRows(readSorted(spark, TableFormat.FEATURES, path), path);
  }

  /** Writes a top-K scores table, sorted by (query_id, kind, rank). */
  public static void writeScoresTopK(
      SparkSession spark, TopKScores scores, String path, boolean overwrite) {
    writeOneFile(spark, scores.toRows(), TableFormat.SCORES_TOP_K, path, overwrite);
  }

  /** Reads a top-K scores table in (query_id, kind, rank) order. */
  public static TopKScores readScoresTopK(SparkSession spark, String path) {
    return TopKScores.fromRows(readSorted(spark, TableFormat.SCORES_TOP_K, path), path);
  }

  /**
   * Writes a full score matrix (rows = training examples, columns = queries), sorted by
   * example_id, with its query order in {@code _queries.json} inside the table folder.
   */
  public static void writeScoresFull(
      SparkSession spark, FullScores scores, String path, boolean overwrite) {
    writeOneFile(spark, scores.toRows(), TableFormat.SCORES_FULL, path, overwrite);
    QueriesFile.write(spark, path, scores.queryIds());
  }

  /**
   * Writes full scores a Spark job computed: {@code scores[j]} of every row belongs to {@code
   * queryIds[j]}, which is recorded in {@code _queries.json} after the table committed.
   *
   * @param files number of Parquet files (see {@link ParquetTables#write})
   */
  public static void writeScoresFull(
      Dataset<Row> rows, long[] queryIds, String path, boolean overwrite, int files) {
    KeyOrder.sortedUnique(queryIds.length, Comparator.comparingLong(j -> queryIds[j]),
        j -> "query_id=" + queryIds[j], path + ": full scores query ids");
    ParquetTables.write(rows, TableFormat.SCORES_FULL, path, overwrite, files);
    QueriesFile.write(rows.sparkSession(), path, queryIds.clone());
  }

  /** The query ids of a full-scores table, in the order of its score arrays. */
  public static long[] readQueryOrder(SparkSession spark, String path) {
    ParquetTables.requireComplete(spark, path);
    return QueriesFile.read(spark, path);
  }

  /**
   * Reads a full score matrix: rows = training examples in example_id order, columns = queries
   * in the recorded order; every row must have one score per query.
   */
  public static FullScores readScoresFull(SparkSession spark, String path) {
    long[] queryIds = readQueryOrder(spark, path);
    return FullScores.fromRows(readSorted(spark, TableFormat.SCORES_FULL, path), queryIds,
        path);
  }

  /**
   * The rows of some training examples of a full score matrix (e.g. the removed examples of LOO),
   * read without collecting the others; ids with no row are simply absent from the result.
   */
  public static FullScores readScoresFull(SparkSession spark, String path, long[] exampleIds) {
    long[] queryIds = readQueryOrder(spark, path);
    Dataset<Row> rows = ParquetTables.read(spark, TableFormat.SCORES_FULL, path)
        .where(org.apache.spark.sql.functions.col(Columns.EXAMPLE_ID).isin(
            java.util.Arrays.stream(exampleIds).boxed().toArray()));
    return FullScores.fromRows(collectSorted(rows, TableFormat.SCORES_FULL, path), queryIds,
        path);
  }

  /** Writes ground truth, one row per (model, query), sorted by (model_id, query_id). */
  public static void writeGroundTruth(
      SparkSession spark, GroundTruth truth, String path, boolean overwrite) {
    writeOneFile(spark, truth.toRows(), TableFormat.GROUND_TRUTH, path, overwrite);
  }

  /**
   * Reads ground truth: models in model_id order, queries in query_id order, matrices {@code
   * [model][query]}; every model must have the same queries and one subset. The subset repeated
   * on each of a model's rows is compared in Spark and collected once per model.
   */
  public static GroundTruth readGroundTruth(SparkSession spark, String path) {
    return GroundTruthReader.read(ParquetTables.read(spark, TableFormat.GROUND_TRUTH, path),
        path);
  }

  private static void writeOneFile(
      SparkSession spark, List<Row> rows, TableFormat format, String path, boolean overwrite) {
    ParquetTables.write(spark.createDataFrame(rows, format.schema()), format, path, overwrite, 1);
  }

  private static List<Row> readSorted(SparkSession spark, TableFormat format, String path) {
    return collectSorted(ParquetTables.read(spark, format, path), format, path);
  }

  /**
   * Collects the rows and sorts them by the format's keys on the driver (nulls first, so that
   * the converters can name them): cheaper than a Spark sort for data that ends up in arrays.
   */
  static List<Row> collectSorted(Dataset<Row> rows, TableFormat format, String path) {
    List<Row> out = new ArrayList<>(
        ParquetTables.readingFailuresNamed(path, rows::collectAsList));
    Comparator<Row> order = null;
    for (String key : format.keys()) {
      int i = rows.schema().fieldIndex(key);
      Comparator<Row> byKey = (a, b) -> compareKeys(a.get(i), b.get(i));
      order = order == null ? byKey : order.thenComparing(byKey);
    }
    out.sort(order);
    return out;
  }

  /** Key values are Long, Integer or String (see {@link TableFormat}); nulls sort first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return ((Comparable) a).compareTo(b);
  }
}
