package dev.ascribe.udf.groundtruth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.LooGroundTruth;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.train.LooRetraining;
import dev.ascribe.core.train.TrainOptions;
import dev.ascribe.udf.SharedSpark;
import dev.ascribe.udf.io.InvalidTableException;
import dev.ascribe.udf.io.LooGroundTruthTable;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOO ground truth trained by Spark tasks is exactly the in-memory one, and survives its table. */
class LooTasksTest {
  private final LooRetraining retraining = new LooRetraining(
      FeedForwardSpec.mlp(10, new int[] {5}, 3, 0.1),
      TrainOptions.builder().setEpochs(2).optBatchSize(16).build(), 21, 3, 4);
  private final Dataset train = GroundTruthTasksTest.blobs("train", 50, 10, 3, 1, 500);
  private final Dataset queries = GroundTruthTasksTest.blobs("queries", 4, 10, 3, 2, 1000);

  @TempDir Path dir;

  @Test
  void sparkTasksGiveTheInMemoryGroundTruthBitForBit() throws Exception {
    SparkSession spark = SharedSpark.get();
    LooRetraining.Result onSpark = LooTasks.run(spark, retraining, train, queries);
    LooRetraining.Result inMemory = retraining.groundTruth(train, queries, 2);
    assertEquals(inMemory.fullParametersSha256(), onSpark.fullParametersSha256());
    assertSame(inMemory.truth(), onSpark.truth());
    int[] removed = retraining.removedRows(train.size());
    for (int r = 0; r < removed.length; r++) {
      assertEquals(train.id(removed[r]), onSpark.truth().removedIds()[r]);
    }

    String path = dir.resolve("groundtruth-loo").toString();
    LooGroundTruthTable.write(spark, onSpark.truth(), path, false);
    assertSame(inMemory.truth(), LooGroundTruthTable.read(spark, path));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LooGroundTruthTable.write(spark, onSpark.truth(), path, false)).getMessage()
        .contains(path));
  }

  @Test
  void tooManyRemovedRowsAreRejectedBeforeAnyTask() {
    LooRetraining tooMany = new LooRetraining(retraining.arch(), retraining.options(), 21, 51, 4);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LooTasks.run(SharedSpark.get(), tooMany, train, queries)).getMessage()
        .startsWith("groundtruth option loo.count given 51"));
  }

  @Test
  void aMissingTableIsNamed() {
    String path = dir.resolve("absent").toString();
    assertTrue(assertThrows(InvalidTableException.class,
        () -> LooGroundTruthTable.read(SharedSpark.get(), path)).getMessage().contains(path));
  }

  private static void assertSame(LooGroundTruth a, LooGroundTruth b) {
    assertArrayEquals(a.removedIds(), b.removedIds());
    assertArrayEquals(a.queryIds(), b.queryIds());
    assertArrayEquals(a.fullLogp(), b.fullLogp(), 0);
    assertArrayEquals(a.fullMargin(), b.fullMargin(), 0);
    for (int r = 0; r < a.numRemoved(); r++) {
      assertArrayEquals(a.logp()[r], b.logp()[r], 0);
      assertArrayEquals(a.margin()[r], b.margin()[r], 0);
    }
  }
}
