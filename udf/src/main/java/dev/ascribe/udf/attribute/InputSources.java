package dev.ascribe.udf.attribute;

import dev.ascribe.core.data.Mnist;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.InputRows;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Training and query rows as Spark Datasets in the input-rows schema (id, features, label), with a
 * partitioning that depends only on the data and the partition count: a rerun sees the same rows
 * in the same partitions in the same order, so its outputs are bit-identical.
 */
public final class InputSources {
  private InputSources() {}

  /**
   * Records {@code [offset, offset + count)} of a built-in MNIST split, read on the executors:
   * partition p decodes only its own contiguous range, so nothing of size n passes the driver.
   *
   * @param dataRoot the data root as every executor sees it
   */
  public static Dataset<Row> mnist(SparkSession spark, String dataRoot, Mnist.Split split,
      int offset, int count, int partitions) {
    checkPartitions(partitions);
    int parts = Math.min(partitions, count);
    JavaRDD<Integer> indices = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(java.util.stream.IntStream.range(0, parts).boxed().toList(), parts);
    JavaRDD<Row> rows = indices.mapPartitions((Iterator<Integer> it) -> {
      if (!it.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      int p = it.next();
      int from = offset + (int) ((long) count * p / parts);
      int to = offset + (int) ((long) count * (p + 1) / parts);
      try {
        return InputRows.toRows(Mnist.loadRange(Path.of(dataRoot), split, from, to)).iterator();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return spark.createDataFrame(rows, TableFormat.INPUT_ROWS.schema());
  }

  /** An input-rows Parquet table (schema checked), hash-partitioned by id and sorted by id. */
  public static Dataset<Row> parquet(SparkSession spark, String path, int partitions) {
    checkPartitions(partitions);
    return byId(Tables.readInputRows(spark, path), partitions);
  }

  /** Rows of an in-memory dataset (tests, small query sets), partitioned like Parquet input. */
  public static Dataset<Row> of(SparkSession spark, dev.ascribe.core.data.Dataset data,
      int partitions) {
    checkPartitions(partitions);
    List<Row> rows = InputRows.toRows(data);
    return byId(spark.createDataFrame(rows, TableFormat.INPUT_ROWS.schema()), partitions);
  }

  private static Dataset<Row> byId(Dataset<Row> rows, int partitions) {
    return rows.repartition(partitions, functions.col(Columns.ID))
        .sortWithinPartitions(Columns.ID);
  }

  private static void checkPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions given " + partitions + ": must be >= 1");
    }
  }
}
