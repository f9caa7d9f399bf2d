package dev.ascribe.udf.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.metric.Subsets;
import dev.ascribe.udf.SharedSpark;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.InvalidTableException;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.core.task.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LDS summed per partition equals core's in-memory LDS on the same arrays. */
class LdsAggregationTest {
  private static final int N = 200;
  private static final int M = 5;
  /** The scores' query order: not sorted, and one ground-truth query (77) is not scored. */
  private static final long[] SCORED_QUERIES = {50, 3, 17, 8, 42, 11, 29};
  private static final long[] TRUTH_QUERIES = {3, 8, 11, 17, 29, 42, 50, 77};
  private static final int[] MODEL_IDS = {0, 1, 2, 3, 4};

  private final Random rng = new Random(20240611L);
  /** Non-contiguous example ids; row i of {@link #scores} belongs to {@code ids[i]}. */
  private final long[] ids = new long[N];
  private final float[][] scores = new float[N][SCORED_QUERIES.length];
  private final int[][] subsetRows = new int[M][];
  private final GroundTruth truth;

  @TempDir Path dir;

  LdsAggregationTest() {
    for (int i = 0; i < N; i++) {
      ids[i] = 10_000 + 7L * i;
      for (int q = 0; q < SCORED_QUERIES.length; q++) {
        scores[i][q] = (float) rng.nextGaussian();
      }
    }
    long[][] subsets = new long[M][];
    double[][] logp = new double[M][TRUTH_QUERIES.length];
    double[][] margin = new double[M][TRUTH_QUERIES.length];
    for (int j = 0; j < M; j++) {
      subsetRows[j] = Subsets.halfSubset(N, 0.5, 3, j);
      subsets[j] = new long[subsetRows[j].length];
      for (int s = 0; s < subsets[j].length; s++) {
        subsets[j][s] = ids[subsetRows[j][s]];
      }
      for (int q = 0; q < TRUTH_QUERIES.length; q++) {
        logp[j][q] = -Math.abs(rng.nextGaussian());
        margin[j][q] = rng.nextGaussian();
      }
    }
    truth = new GroundTruth(MODEL_IDS, subsets, TRUTH_QUERIES, logp, margin);
  }

  @Test
  void equalsInMemoryLdsForShuffledRowsInThreePartitionsAndRerunsBitIdentical() {
    Dataset<Row> rows = shuffledRows(3, -1);
    LdsAggregation.Result got = evaluate(rows, SCORED_QUERIES, Target.MARGIN);
    assertMatches(Lds.evaluate(scores, subsetRows, groundTruth(truth.margin())), got);
    assertEquals(N, got.scoredExamples());
    assertArrayEquals(SCORED_QUERIES, got.queryIds());
    LdsAggregation.Result again = evaluate(rows, SCORED_QUERIES, Target.MARGIN);
    for (int j = 0; j < M; j++) {
      for (int q = 0; q < SCORED_QUERIES.length; q++) {
        assertEquals(Double.doubleToRawLongBits(got.lds().predictions()[j][q]),
            Double.doubleToRawLongBits(again.lds().predictions()[j][q]), "rerun");
      }
    }
  }

  @Test
  void manyPartitionsAreAddedAsATreeWithTheSameResult() {
    // 70 partitions > OrderedSum.FAN_IN: one grouping level before the driver.
    LdsAggregation.Result got = evaluate(shuffledRows(70, -1), SCORED_QUERIES, Target.NEG_LOSS);
    assertMatches(Lds.evaluate(scores, subsetRows, groundTruth(truth.logp())), got);
  }

  @Test
  void readsParquetTablesWrittenInThreeFiles() {
    SparkSession spark = SharedSpark.get();
    String scoresPath = dir.resolve("scores").toString();
    String truthPath = dir.resolve("groundtruth").toString();
    Tables.writeScoresFull(shuffledRows(4, -1), SCORED_QUERIES, scoresPath, false, 3);
    Tables.writeGroundTruth(spark, truth, truthPath, false);
    LdsAggregation.Result got =
        LdsAggregation.evaluate(spark, scoresPath, truthPath, Target.NEG_LOSS);
    assertMatches(Lds.evaluate(scores, subsetRows, groundTruth(truth.logp())), got);
    assertArrayEquals(MODEL_IDS, got.modelIds());
  }

  @Test
  void aSubsetExampleThatIsNotScoredIsNamed() {
    int dropped = subsetRows[2][5];
    int firstModel = 0;
    while (java.util.Arrays.binarySearch(subsetRows[firstModel], dropped) < 0) {
      firstModel++;
    }
    Dataset<Row> rows = shuffledRows(3, dropped);
    String msg = assertThrows(IllegalArgumentException.class,
        () -> evaluate(rows, SCORED_QUERIES, Target.MARGIN)).getMessage();
    assertTrue(msg.contains("model " + firstModel + " was trained on example " + ids[dropped]
        + ", which scores-table does not score: the two runs use different training rows"), msg);
  }

  @Test
  void aScoredQueryMissingFromTheGroundTruthIsNamed() {
    long[] order = SCORED_QUERIES.clone();
    order[4] = 999;
    String msg = assertThrows(IllegalArgumentException.class,
        () -> evaluate(shuffledRows(3, -1), order, Target.MARGIN)).getMessage();
    assertTrue(msg.contains("scores scores-table include query 999, which ground truth"
        + " truth-table does not evaluate"), msg);
    assertTrue(msg.contains("check data.queries"), msg);
  }

  @Test
  void aRowWithTheWrongNumberOfScoresIsNamed() {
    List<Row> list = new ArrayList<>(shuffledRows(1, -1).collectAsList());
    list.set(17, RowFactory.create(list.get(17).getLong(0), new float[] {1f, 2f}));
    Dataset<Row> rows = SharedSpark.get().createDataFrame(list, TableFormat.SCORES_FULL.schema());
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> evaluate(rows, SCORED_QUERIES, Target.MARGIN));
    assertTrue(e.getMessage().startsWith("scores-table: row example_id=" + list.get(17).getLong(0)
        + " has 2 scores: expected 7"), e.getMessage());
  }

  @Test
  void targetsAreNamedByTheirOptionValue() {
    assertEquals(Target.NEG_LOSS, Target.parse("neg-loss"));
    assertEquals(Target.MARGIN, Target.parse("margin"));
    String msg = assertThrows(IllegalArgumentException.class, () -> Target.parse("loss"))
        .getMessage();
    assertEquals("option target given loss: expected margin or neg-loss", msg);
  }

  private LdsAggregation.Result evaluate(Dataset<Row> rows, long[] order, Target target) {
    return LdsAggregation.evaluate(rows, order, "scores-table", truth, "truth-table", target);
  }

  /** The score rows in a shuffled order, in {@code partitions} slices, without row {@code skip}. */
  private Dataset<Row> shuffledRows(int partitions, int skip) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if (i != skip) {
        rows.add(RowFactory.create(ids[i], scores[i]));
      }
    }
    Collections.shuffle(rows, new Random(partitions));
    SparkSession spark = SharedSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(rows, partitions),
        TableFormat.SCORES_FULL.schema());
  }

  /** Ground truth [model][scored query] in the scores' query order. */
  private static double[][] groundTruth(double[][] byTruthQuery) {
    double[][] y = new double[M][SCORED_QUERIES.length];
    for (int q = 0; q < SCORED_QUERIES.length; q++) {
      int column = java.util.Arrays.binarySearch(TRUTH_QUERIES, SCORED_QUERIES[q]);
      for (int j = 0; j < M; j++) {
        y[j][q] = byTruthQuery[j][column];
      }
    }
    return y;
  }

  private static void assertMatches(Lds.Result want, LdsAggregation.Result got) {
    for (int j = 0; j < M; j++) {
      assertArrayEquals(want.predictions()[j], got.lds().predictions()[j], 1e-12,
          "predictions of model " + j);
    }
    assertArrayEquals(want.perQuery(), got.lds().perQuery(), 1e-12);
    assertEquals(want.summary().mean(), got.lds().summary().mean(), 1e-12);
    assertEquals(want.summary().stdError(), got.lds().summary().stdError(), 1e-12);
  }
}
