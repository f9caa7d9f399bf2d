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
import dev.ascribe.udf.io.TopKScores;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's acceptance test: a scored table grown in three increments, with one partition
 * rewritten and one deleted, gives the same scores as a from-scratch run on the final table, bit
 * for bit (the partitions are merged in canonical order), on the local file system and on a real
 * HDFS (Hadoop's MiniDFSCluster, with the run folder, the store and the models there too, the
 * run lock held or stale there, and models trained into a run folder there); and within
 * DESIGN.md's tolerance of a run that is not incremental.
 */
class IncrementalRunTest {
  /** The models' options (data.train: MNIST records [0, 300)). */
  private static final List<String> MODELS = List.of("data.train.count=300",
      "data.queries.count=30", "train.epochs=2", "train.checkpoints=[]", "models=1");
  private static final List<String> SMALL = List.of("projection.dim=32", "scores.full=true",
      "attribute.incremental=true");

  @TempDir static Path dir;
  private static Dataset mnist;
  private static SparkSession spark;

  @BeforeAll
  static void trainOnce() throws Exception {
    spark = SparkSessions.local();
    mnist = Mnist.loadRange(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN, 0, 500);
    // The models every run below reuses (data.train: MNIST records [0, 300)).
    List<String> train = new ArrayList<>(List.of("train", "--conf", "conf/mnist-lr.conf",
        "--out", dir.resolve("models-run").toString()));
    MODELS.forEach(s -> train.addAll(List.of("--set", s)));
    assertEquals(0, Main.run(train.toArray(new String[0])));
  }

  private static String[] attribute(Path out, String table, String... extra) {
    List<String> a = new ArrayList<>(Arrays.asList(attribute(out.toString(), table, extra)));
    a.addAll(List.of("--set", "models.dir=" + dir.resolve("models-run/models")));
    return a.toArray(new String[0]);
  }

  /** An attribute run into {@code out} (a path or URI); {@code extra} names models.dir. */
  private static String[] attribute(String out, String table, String... extra) {
    List<String> a = new ArrayList<>(List.of("attribute", "--conf", "conf/mnist-lr.conf", "--out",
        out, "--set", "data.scored.path=" + table));
    for (String s : MODELS) {
      a.add("--set");
      a.add(s);
    }
    for (String s : SMALL) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  /** Writes MNIST training records [from, to) as partition {@code key} of the table. */
  private static void partition(String table, String key, int from, int to) {
    Tables.writeInputRows(spark, mnist.range(from, to), table + "/" + key, true);
  }

  /**
   * Grows the table at {@code table} in three increments, rewriting day=2 and deleting day=1 in
   * the last, running {@code attribute} into {@code out} after each; then reruns it once more.
   */
  private static void history(String table, String out, FileSystem fs, String... extra)
      throws Exception {
    partition(table, "day=1", 0, 100);
    partition(table, "day=2", 100, 200);
    assertEquals(0, Main.run(attribute(out, table, extra)));
    partition(table, "day=3", 200, 300);
    assertEquals(0, Main.run(attribute(out, table, extra)));
    partition(table, "day=4", 300, 400);
    partition(table, "day=2", 100, 150); // rewritten with fewer rows
    fs.delete(new org.apache.hadoop.fs.Path(table + "/day=1"), true);
    assertEquals(0, Main.run(attribute(out, table, extra)));
  }

  @Test
  void incrementsOnLocalAndHdfsEqualAFromScratchRun() throws Exception {
    String local = dir.resolve("lake/table").toUri().toString();
    Path grown = dir.resolve("grown");
    history(local, grown.toString(), FileSystem.getLocal(new Configuration()), "--set",
        "models.dir=" + dir.resolve("models-run/models"));

    // A from-scratch run on the final table (day=2 [100,150), day=3, day=4).
    Path scratch = dir.resolve("scratch");
    assertEquals(0, Main.run(attribute(scratch, local)));
    FullScores expected = full(scratch);
    assertEquals(250, expected.exampleIds().length);
    assertEquals(expected.exampleIds()[0], 100L);
    assertBitIdentical(expected, full(grown));
    assertEquals(topK(scratch), topK(grown));

    // The history of increments: three, and a rerun of a finished increment does nothing.
    Map<?, ?> features = new Gson().fromJson(Files.readString(grown.resolve(
        "features/_ascribe.json")), Map.class);
    List<?> increments = (List<?>) features.get("increments");
    assertEquals(3, increments.size());
    Map<?, ?> last = (Map<?, ?>) increments.get(2);
    assertEquals(List.of("day=4"), last.get("added"));
    assertEquals(List.of("day=2"), last.get("changed"));
    assertEquals(List.of("day=1"), last.get("deleted"));
    assertEquals(150.0, last.get("rows_featurized"));
    String scoresRecord = Files.readString(grown.resolve("scores/_ascribe.json"));
    // What an increment killed before its commit leaves is not named by the manifest: removed.
    Path leftover = grown.resolve("incremental/features/killed-increment");
    Files.createDirectories(leftover);
    assertEquals(0, Main.run(attribute(grown, local)));
    assertFalse(Files.exists(leftover));
    assertEquals(scoresRecord, Files.readString(grown.resolve("scores/_ascribe.json")),
        "a rerun with nothing new reuses the scores");
    try (var files = Files.list(grown.resolve("incremental"))) {
      assertEquals(List.of("manifest-00000003.json"), files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("manifest-")).toList());
    }
    // What the features of deleted and rewritten partitions were is gone: three entries left.
    try (var entries = Files.list(grown.resolve("incremental/features"))) {
      assertEquals(4, entries.count(), "three partitions and the queries");
    }

    // Not incremental, on one table of the same rows: equal within DESIGN.md's tolerance.
    Path flat = dir.resolve("flat");
    int[] finalRows = java.util.stream.IntStream.concat(java.util.stream.IntStream.range(100, 150),
        java.util.stream.IntStream.range(200, 400)).toArray();
    Tables.writeInputRows(spark, mnist.select(finalRows, "final"), flat.toString(), true);
    Path plain = dir.resolve("plain");
    assertEquals(0, Main.run(attribute(plain, flat.toString(), "--set",
        "attribute.incremental=false")));
    FullScores reference = full(plain);
    assertArrayEquals(reference.exampleIds(), expected.exampleIds());
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < reference.scores().length; i++) {
      for (int j = 0; j < reference.scores()[i].length; j++) {
        scale = Math.max(scale, Math.abs(reference.scores()[i][j]));
        worst = Math.max(worst, Math.abs(reference.scores()[i][j] - expected.scores()[i][j]));
      }
    }
    assertTrue(scale > 0 && worst <= 1e-5 * scale, "max|Δ| " + worst + " vs scale " + scale);

    // The same history on a real HDFS, with the inputs, the models, the run folder (--out) and
    // its default store there: the same bits again, and nothing on the local disk.
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      FileSystem hdfs = cluster.getFileSystem();
      String root = cluster.getURI().toString();
      hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(dir.resolve("models-run/models")
          .toUri()), new org.apache.hadoop.fs.Path("/models"));
      String nightly = root + "/runs/nightly";
      history(root + "/lake/table", nightly, hdfs, "--set", "models.dir=" + root + "/models");
      assertBitIdentical(expected, full(nightly));
      assertEquals(topK(scratch), topK(nightly));
      for (String file : List.of("incremental/manifest-00000003.json", "features/_ascribe.json",
          "kernel/_ascribe.json", "kernel/model=0/kernel.bin", "scores/_ascribe.json",
          "scores/topk/_SUCCESS", "models-from-hdfs/m0/model.json")) {
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/nightly/" + file)), file);
      }
      Map<?, ?> record = new Gson().fromJson(read(hdfs, "features/_ascribe.json"), Map.class);
      assertEquals(3, ((List<?>) record.get("increments")).size());
      assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/nightly/_ascribe.lock")),
          "released");
      assertFalse(Files.exists(Path.of("hdfs:")), "no local folder named after the URI");

      // Another host's run holds the folder: exit 3 naming it. Its pid runs nowhere here (above
      // Linux's pid_max), which says nothing about that host: only its heartbeat counts.
      long pid = Integer.MAX_VALUE;
      assertTrue(ProcessHandle.of(pid).isEmpty());
      org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path("/runs/nightly/_ascribe.lock");
      try (var out = hdfs.create(lock, false)) {
        out.write(("{\"host\":\"elsewhere.example\",\"pid\":" + pid
            + ",\"started\":\"2026-12-06T02:30:00Z\"}").getBytes(StandardCharsets.UTF_8));
      }
      String[] rerun = attribute(nightly, root + "/lake/table", "--set",
          "models.dir=" + root + "/models");
      OutFolderTest.Result held = OutFolderTest.run(rerun);
      assertEquals(Main.LOCKED, held.status(), held.err());
      assertTrue(held.err().startsWith("error: " + nightly + " is in use by another Ascribe run"
          + " (host elsewhere.example, pid " + pid + ", started 2026-12-06T02:30:00Z; lock file "
          + nightly + "/_ascribe.lock)"), held.err());
      // Killed there: once its heartbeat is older than RunLock.STALE_AFTER the lock is cleared,
      // and the rerun, with nothing new, reuses every stage.
      String scores = read(hdfs, "scores/_ascribe.json");
      hdfs.setTimes(lock, System.currentTimeMillis()
          - dev.ascribe.jobs.pipeline.RunLock.STALE_AFTER.toMillis() - 60_000, -1);
      assertEquals(0, Main.run(rerun));
      assertEquals(scores, read(hdfs, "scores/_ascribe.json"), "the scores are reused");
      assertFalse(hdfs.exists(lock), "the stale lock was cleared, and ours released");

      // Without models.dir the run trains its models into --out/models on HDFS: the same
      // parameter bytes as the local training (model.json's hash), the same scores.
      String fresh = root + "/runs/fresh";
      assertEquals(0, Main.run(attribute(fresh, root + "/lake/table")));
      String trained = read(hdfs, "/runs/fresh/models/m0/model.json");
      assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(
          "/runs/fresh/models/m0/epoch-2.params")));
      assertEquals(epochHashes(Files.readString(dir.resolve("models-run/models/m0/model.json"))),
          epochHashes(trained));
      assertBitIdentical(expected, full(fresh));
    } finally {
      cluster.shutdown();
    }
  }

  /** A file of the run folder /runs/nightly, or at an absolute path. */
  private static String read(FileSystem fs, String file) throws java.io.IOException {
    String path = file.startsWith("/") ? file : "/runs/nightly/" + file;
    try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Object epochHashes(String modelJson) {
    return new Gson().fromJson(modelJson, Map.class).get("epochs");
  }

  @Test
  void badIncrementalOptionsAreNamedBeforeAnyWork() {
    String table = dir.resolve("lake/table").toUri().toString();
    Path out = dir.resolve("bad");
    String notBoolean = stderrOf(attribute(out, table, "--set", "attribute.incremental=maybe"));
    assertTrue(notBoolean.contains("attribute.incremental given maybe: expected true or false"),
        notBoolean);
    String curvature = stderrOf(attribute(out, table, "--set", "method=if-cg"));
    assertTrue(curvature.contains("method if-cg fits its curvature from all training rows"),
        curvature);
    String noTable = stderrOf(attribute(out, "", "--set", "data.scored.count=100"));
    assertTrue(noTable.contains("needs the scored rows in a Parquet table folder of its own"),
        noTable);
    assertFalse(Files.exists(out.resolve("incremental")), "nothing written");
  }

  private static String stderrOf(String... args) {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertEquals(2, Main.run(args), "exit status of an input error");
    } finally {
      System.setErr(saved);
    }
    return err.toString();
  }

  private static FullScores full(Path run) {
    return full(run.toString());
  }

  private static FullScores full(String run) {
    return Tables.readScoresFull(spark, run + "/scores/full");
  }

  private static List<String> topK(Path run) {
    return topK(run.toString());
  }

  private static List<String> topK(String run) {
    TopKScores t = Tables.readScoresTopK(spark, run + "/scores/topk");
    List<String> rows = new ArrayList<>();
    for (int r = 0; r < t.queryIds().length; r++) {
      rows.add(t.queryIds()[r] + " " + t.kinds()[r] + " " + t.ranks()[r] + " "
          + t.exampleIds()[r] + " " + Double.doubleToLongBits(t.scores()[r]));
    }
    return rows;
  }

  private static void assertBitIdentical(FullScores expected, FullScores actual) {
    assertArrayEquals(expected.exampleIds(), actual.exampleIds());
    assertArrayEquals(expected.queryIds(), actual.queryIds());
    for (int i = 0; i < expected.scores().length; i++) {
      assertArrayEquals(expected.scores()[i], actual.scores()[i],
          "scores of example " + expected.exampleIds()[i] + " are bit-identical");
    }
  }
}
