package dev.ascribe.udf.groundtruth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.train.SubsetRetraining;
import dev.ascribe.core.train.TrainOptions;
import dev.ascribe.udf.SharedSpark;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth trained by Spark tasks is exactly what training each model directly gives. */
class GroundTruthTasksTest {
  private static final int MODELS = 4;
  private final SubsetRetraining retraining = new SubsetRetraining(
      FeedForwardSpec.logisticRegression(10, 3),
      TrainOptions.builder().setEpochs(2).optBatchSize(16).build(), MODELS, 0.5, 11);
  private final Dataset train = blobs("train", 60, 10, 3, 1, 0);
  private final Dataset queries = blobs("queries", 5, 10, 3, 2, 1000);

  @TempDir Path dir;

  /** Gaussian blobs: class c centred at 2 e_c, ids from {@code firstId}. */
  static Dataset blobs(String name, int n, int dim, int classes, long seed, long firstId) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] ids = new long[n];
    float[] x = new float[n * dim];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      y[i] = rng.nextInt(classes);
      for (int d = 0; d < dim; d++) {
        x[i * dim + d] = (float) (rng.nextGaussian() + (d == y[i] ? 2 : 0));
      }
    }
    return new Dataset(name, ids, x, y, dim, classes);
  }

  @Test
  void eachTaskEqualsTrainingItsModelDirectlyAndReruns() throws Exception {
    SparkSession spark = SharedSpark.get();
    org.apache.spark.sql.Dataset<Row> rows =
        GroundTruthTasks.run(spark, retraining, train, queries);
    assertEquals(TableFormat.GROUND_TRUTH.schema(), rows.schema());
    // One partition (one task) per model, holding that model's rows only.
    List<List<Row>> partitions = rows.javaRDD().glom().collect();
    assertEquals(MODELS, partitions.size());
    for (int j = 0; j < MODELS; j++) {
      assertEquals(queries.size(), partitions.get(j).size());
      for (Row r : partitions.get(j)) {
        assertEquals(j, r.getInt(r.fieldIndex(Columns.MODEL_ID)));
      }
    }
    String path = dir.resolve("groundtruth").toString();
    ParquetTables.write(rows, TableFormat.GROUND_TRUTH, path, false, 1);
    GroundTruth fromSpark = Tables.readGroundTruth(spark, path);
    assertArrayEquals(queries.ids(), fromSpark.queryIds());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int j = 0; j < MODELS; j++) {
        SubsetRetraining.Outcome direct = retraining.trainOne(j, train, queries, manager);
        assertEquals(j, fromSpark.modelIds()[j]);
        assertArrayEquals(direct.subsetIds(), fromSpark.subsets()[j]);
        assertArrayEquals(bits(direct.logp()), bits(fromSpark.logp()[j]), "logp of model " + j);
        assertArrayEquals(bits(direct.margin()), bits(fromSpark.margin()[j]),
            "margin of model " + j);
      }
    }
    List<Row> again = GroundTruthTasks.run(spark, retraining, train, queries)
        .orderBy(Columns.MODEL_ID, Columns.QUERY_ID).collectAsList();
    List<Row> first = rows.orderBy(Columns.MODEL_ID, Columns.QUERY_ID).collectAsList();
    assertEquals(MODELS * queries.size(), again.size());
    for (int r = 0; r < again.size(); r++) {
      for (String column : List.of(Columns.LOGP, Columns.MARGIN)) {
        int c = again.get(r).fieldIndex(column);
        assertEquals(Double.doubleToRawLongBits(first.get(r).getDouble(c)),
            Double.doubleToRawLongBits(again.get(r).getDouble(c)), "rerun, row " + r);
      }
    }
  }

  @Test
  void dataThatDoesNotFitTheModelIsRejectedBeforeAnyTask() {
    SparkSession spark = SharedSpark.get();
    Dataset wide = blobs("wide", 20, 12, 3, 3, 0);
    String msg = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthTasks.run(spark, retraining, wide, queries)).getMessage();
    assertTrue(msg.contains("groundtruth training data wide") && msg.contains("expected dim 10"),
        msg);
    Dataset none = blobs("none", 0, 10, 3, 3, 0);
    msg = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthTasks.run(spark, retraining, train, none)).getMessage();
    assertTrue(msg.contains("no rows"), msg);
    Dataset one = blobs("one", 1, 10, 3, 3, 0);
    msg = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthTasks.run(spark, retraining, one, queries)).getMessage();
    assertTrue(msg.contains("empty subset"), msg);
  }

  private static long[] bits(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }
}
