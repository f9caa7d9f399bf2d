package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the inputs of an incremental run: a partitioned query table is featurized partition
 * by partition (a new query partition alone, its scores equal to a from-scratch run's), and an
 * example id repeated across partitions of the scored table stops the increment before its commit.
 */
class IncrementalInputsTest {
  private static final List<String> OPTIONS = List.of("data.train.count=300",
      "train.epochs=2", "train.checkpoints=[]", "models=1", "projection.dim=32",
      "scores.full=true", "attribute.incremental=true");

  @TempDir static Path dir;
  private static Dataset mnist;
  private static SparkSession spark;

  @BeforeAll
  static void trainOnce() throws Exception {
    spark = SparkSessions.local();
    mnist = Mnist.loadRange(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN, 0, 500);
    assertEquals(0, Main.run(args("train", dir.resolve("models-run"))));
  }

  private static String[] args(String command, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of(command, "--conf", "conf/mnist-lr.conf", "--out",
        out.toString()));
    for (String s : OPTIONS) {
      a.addAll(List.of("--set", s));
    }
    if (command.equals("attribute")) {
      a.addAll(List.of("--set", "models.dir=" + dir.resolve("models-run/models")));
    }
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  private static String[] attribute(Path out, String scored, String queries) {
    return args("attribute", out, "--set", "data.scored.path=" + scored, "--set",
        "data.queries.path=" + queries);
  }

  /** MNIST training records [from, to) as partition {@code key} of {@code table}. */
  private static void partition(Path table, String key, int from, int to) {
    Tables.writeInputRows(spark, mnist.range(from, to), table.resolve(key).toString(), true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> lastIncrement(Path run) throws Exception {
    Map<?, ?> features = new Gson().fromJson(Files.readString(run.resolve(
        "features/_ascribe.json")), Map.class);
    List<?> increments = (List<?>) features.get("increments");
    return (Map<String, Object>) increments.get(increments.size() - 1);
  }

  @Test
  void aNewQueryPartitionIsFeaturizedAloneAndScoredLikeAFromScratchRun() throws Exception {
    Path scored = dir.resolve("q-lake/scored");
    partition(scored, "day=1", 0, 100);
    partition(scored, "day=2", 100, 200);
    Path queries = dir.resolve("q-lake/queries");
    partition(queries, "hour=1", 400, 410);
    partition(queries, "hour=2", 410, 420);
    Path grown = dir.resolve("q-grown");
    assertEquals(0, Main.run(attribute(grown, scored.toString(), queries.toString())));
    assertEquals(List.of("hour=1", "hour=2"), lastIncrement(grown).get("queries_featurized"));

    partition(queries, "hour=3", 420, 425);
    assertEquals(0, Main.run(attribute(grown, scored.toString(), queries.toString())));
    Map<String, Object> second = lastIncrement(grown);
    assertEquals(List.of("hour=3"), second.get("queries_featurized"));
    assertEquals(List.of(), second.get("added"));
    assertEquals(0.0, second.get("rows_featurized"));

    // A query partition deleted: its entry is dropped, nothing is featurized.
    partition(queries, "hour=4", 425, 428);
    assertEquals(0, Main.run(attribute(grown, scored.toString(), queries.toString())));
    org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration())
        .delete(new org.apache.hadoop.fs.Path(queries.resolve("hour=4").toUri()), true);
    assertEquals(0, Main.run(attribute(grown, scored.toString(), queries.toString())));
    assertEquals(List.of(), lastIncrement(grown).get("queries_featurized"));
    assertEquals(List.of("hour=4"), lastIncrement(grown).get("queries_dropped"));

    Path scratch = dir.resolve("q-scratch");
    assertEquals(0, Main.run(attribute(scratch, scored.toString(), queries.toString())));
    FullScores expected = full(scratch);
    FullScores actual = full(grown);
    assertArrayEquals(LongStream.range(400, 425).toArray(), expected.queryIds());
    assertArrayEquals(expected.queryIds(), actual.queryIds());
    assertArrayEquals(expected.exampleIds(), actual.exampleIds());
    for (int i = 0; i < expected.scores().length; i++) {
      assertArrayEquals(expected.scores()[i], actual.scores()[i],
          "scores of example " + expected.exampleIds()[i] + " are bit-identical");
    }
  }

  @Test
  void anIdRepeatedAcrossPartitionsStopsTheIncrementBeforeItsCommit() throws Exception {
    Path scored = dir.resolve("d-lake/scored");
    int[] even = IntStream.range(0, 50).map(i -> 2 * i).toArray();
    int[] odd = IntStream.range(0, 50).map(i -> 2 * i + 1).toArray();
    Tables.writeInputRows(spark, mnist.select(even, "even"), scored.resolve("day=1").toString(),
        true);
    Path queries = dir.resolve("d-lake/queries");
    partition(queries, "hour=1", 400, 410);
    Path run = dir.resolve("d-run");
    assertEquals(0, Main.run(attribute(run, scored.toString(), queries.toString())));
    // Ids in the same range, none repeated: the check reads both partitions and passes.
    Tables.writeInputRows(spark, mnist.select(odd, "odd"), scored.resolve("day=2").toString(),
        true);
    assertEquals(0, Main.run(attribute(run, scored.toString(), queries.toString())));
    partition(scored, "day=3", 90, 150); // ids 90..99 are in day=1 and day=2 too

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run(attribute(run, scored.toString(), queries.toString())),
          "exit status of an input error");
    } finally {
      System.setErr(saved);
    }
    assertTrue(err.toString().contains("id=90 is in partitions [day=1, day=3]: ids must be"
        + " unique across the table's partitions"), err.toString());
    assertFalse(Files.exists(run.resolve("incremental/manifest-00000003.json")),
        "the increment is not committed");

    // Fixed by rewriting day=3 without the repeated ids: the next increment goes through.
    partition(scored, "day=3", 100, 150);
    assertEquals(0, Main.run(attribute(run, scored.toString(), queries.toString())));
    assertEquals(List.of("day=3"), lastIncrement(run).get("added"));
    assertEquals(150, full(run).exampleIds().length);
  }

  private static FullScores full(Path run) {
    return Tables.readScoresFull(spark, run.resolve("scores/full").toString());
  }
}
