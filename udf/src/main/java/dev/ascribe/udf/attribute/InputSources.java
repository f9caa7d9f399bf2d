package dev.ascribe.udf.attribute;

import dev.ascribe.core.data.BuiltInData;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.data.SyntheticRows;
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
import org.apache.spark.sql.RowFactory;
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
   * Records {@code [offset, offset + count)} of a split of a built-in dataset, read on the executors:
   * partition p decodes only its own contiguous range, so nothing of size n passes the driver.
   *
   * @param dataRoot the data root as every executor sees it
   */
  public static Dataset<Row> builtIn(SparkSession spark, String dataRoot, BuiltInData dataset,
      BuiltInData.Split split, int offset, int count, int partitions) {
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
        return InputRows.toRows(dataset.loadRange(Path.of(dataRoot), split, from, to)).iterator();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return spark.createDataFrame(rows, TableFormat.INPUT_ROWS.schema());
  }

  /**
   * A synthetic table ({@link SyntheticRows}) made from the first {@code base} records of a
   * built-in MNIST split, generated on the executors: partition p makes ids [n p / P, n (p + 1) /
   * P) one row at a time from the source records it loads once, so neither the driver nor a task
   * ever holds the table, and the rows do not depend on the partitioning.
   *
   * @param dataRoot the data root as every executor sees it
   * @throws IllegalArgumentException if {@code base} exceeds the records of the split
   */
  public static Dataset<Row> synthetic(SparkSession spark, String dataRoot, Mnist.Split split,
      SyntheticRows rows, int partitions) {
    checkPartitions(partitions);
    if (rows.base() > split.records()) {
      throw new IllegalArgumentException("synthetic table option base given " + rows.base()
          + ": must be <= " + split.records() + ", the records of MNIST " + split.datasetName());
    }
    JavaRDD<Row> out = spark.range(0, rows.rows(), 1, partitions).toJavaRDD()
        .mapPartitions((Iterator<Long> ids) -> {
          if (!ids.hasNext()) {
            return java.util.Collections.emptyIterator();
          }
          dev.ascribe.core.data.Dataset source;
          try {
            source = Mnist.loadRange(Path.of(dataRoot), split, 0, rows.base());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return new Iterator<Row>() {
            @Override
            public boolean hasNext() {
              return ids.hasNext();
            }

            @Override
            public Row next() {
              long id = ids.next();
              int from = rows.sourceIndex(id);
              return RowFactory.create(id, rows.features(id, source.features(from)),
                  source.label(from));
            }
          };
        });
    return spark.createDataFrame(out, TableFormat.INPUT_ROWS.schema());
  }

  /** An input-rows Parquet table (schema checked), hash-partitioned by id and sorted by id. */
  public static Dataset<Row> parquet(SparkSession spark, String path, int partitions) {
    checkPartitions(partitions);
    return byId(Tables.readInputRows(spark, path), partitions);
  }

  /**
   * The rows of named Parquet files (one partition of a partitioned table), hash-partitioned by
   * id and sorted by id like {@link #parquet}.
   *
   * @param source the partition's description, named in messages
   */
  public static Dataset<Row> files(SparkSession spark, String source, List<String> files,
      int partitions) {
    checkPartitions(partitions);
    return byId(Tables.readInputFiles(spark, source, files), partitions);
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
