package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user gets from a wrong file: a message naming it, and nothing that looks complete. */
public class BadInputTest {
  @TempDir static Path dir;
  static Path models;

  @BeforeAll
  static void trainModels() {
    models = dir.resolve("trained");
    assertEquals(0, Main.run(PipelineCommandsTest.args("train", models)));
  }

  private static String[] attribute(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of(PipelineCommandsTest.args("attribute", out)));
    a.add("--set");
    a.add("models.dir=" + models.resolve("models"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  private static Path scoredTable(String name) throws Exception {
    SparkSession spark = SparkSessions.local();
    Path table = dir.resolve(name);
    Tables.writeInputRows(spark, Mnist.load(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN)
        .range(0, 300), table.toString(), true);
    return table;
  }

  @Test
  void corruptParquetInputNamesTheFileAndLeavesNoCompleteFeatures() throws Exception {
    Path table = scoredTable("corrupt");
    try (var parts = Files.list(table)) {
      Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(part);
      for (int i = 100; i < Math.min(bytes.length - 100, 4000); i++) {
        bytes[i] = (byte) 0x5a;
      }
      Files.write(part, bytes);
    }
    Path out = dir.resolve("run-corrupt");
    String err = stderrOf(attribute(out, "--set", "data.scored.path=" + table));
    assertTrue(err.contains(table.toString()), err);
    assertFalse(Files.exists(out.resolve("features/_ascribe.json")), "features look complete");
    assertFalse(Files.exists(out.resolve("features/train/_SUCCESS")), "features look complete");
  }

  @Test
  void aNonFiniteFeatureIsNamedAndNothingIsMarkedComplete() throws Exception {
    dev.ascribe.core.data.Dataset rows = Mnist.load(DataRoot.resolve(Optional.empty()),
        Mnist.Split.TRAIN).range(0, 300);
    float[] features = new float[rows.size() * rows.dim()];
    rows.copyFeatures(java.util.stream.IntStream.range(0, rows.size()).toArray(), features);
    features[7 * rows.dim() + 300] = Float.NaN;
    Path table = dir.resolve("nan");
    Tables.writeInputRows(SparkSessions.local(), new dev.ascribe.core.data.Dataset("nan",
        rows.ids(), features, rows.labels(), rows.dim(), rows.numClasses()), table.toString(),
        true);
    Path out = dir.resolve("run-nan");
    String err = stderrOf(attribute(out, "--set", "data.scored.path=" + table));
    assertTrue(err.contains(table + ": row id=7 has a non-finite feature NaN at index 300"), err);
    assertFalse(Files.exists(out.resolve("features/train/_SUCCESS")), "features look complete");
    assertFalse(Files.exists(out.resolve("features/_ascribe.json")), "features look complete");
  }

  @Test
  void schemaMismatchNamesTheColumnAndTypes() throws Exception {
    SparkSession spark = SparkSessions.local();
    Path good = scoredTable("good");
    Path bad = dir.resolve("label-as-string");
    spark.read().parquet(good.toString())
        .withColumn("label", functions.col("label").cast("string"))
        .write().parquet(bad.toString());
    String err = stderrOf(attribute(dir.resolve("run-schema"), "--set",
        "data.scored.path=" + bad));
    assertTrue(err.contains("label") && err.contains("string") && err.contains("int"), err);
  }

  @Test
  void modelsOfAnotherArchitectureAreRefusedUnlessRetrainingIsAsked() throws Exception {
    Path record = models.resolve("models/m0/model.json");
    String before = Files.readString(record);
    Path out = dir.resolve("run-other-arch");
    String err = stderrOf(attribute(out, "--set", "model.kind=mlp", "--set",
        "model.hidden=[8]"));
    assertTrue(err.contains("error: models.dir " + models.resolve("models") + ": model m0 cannot"
        + " be reused: stored architecture "), err);
    assertTrue(err.contains("set models.retrain=true"), err);
    assertEquals(before, Files.readString(record), "the given models are untouched");
    var config = dev.ascribe.jobs.config.JobConfig.load(
        dev.ascribe.core.data.ProjectRoot.find().resolve("conf/mnist-lr.conf"), List.of(
            "data.train.count=400", "train.epochs=3", "train.checkpoints=[]", "models=2",
            "model.kind=mlp", "model.hidden=[8]", "models.dir=" + models.resolve("models"),
            "models.retrain=true"));
    var setting = dev.ascribe.jobs.config.Setting.of(config,
        DataRoot.resolve(Optional.empty()));
    dev.ascribe.jobs.pipeline.ModelTraining.requireReusable(config, setting,
        new dev.ascribe.core.model.ModelStore(models.resolve("models")), setting.trainData());
  }

  @Test
  void missingModelFileIsNamed() throws Exception {
    Path copy = dir.resolve("broken-models");
    copyTree(models.resolve("models"), copy);
    Path epoch = copy.resolve("m1/epoch-3.params");
    Files.delete(epoch);
    String err = stderrOf(attribute(dir.resolve("run-missing"), "--set", "models.dir=" + copy));
    assertTrue(err.contains(epoch.toString()), err);
  }

  @Test
  void modelsOnAHadoopFileSystemAreCopiedAndAMissingOneIsRefused() {
    String uri = models.resolve("models").toUri().toString();
    assertTrue(uri.startsWith("file:"), uri);
    Path out = dir.resolve("run-hadoop");
    assertEquals(0, Main.run(attribute(out, "--set", "models.dir=" + uri)));
    assertTrue(Files.exists(out.resolve("models-from-file/m1/model.json")));
    assertTrue(Files.exists(out.resolve("scores/topk/_SUCCESS")));
    String err = stderrOf(attribute(dir.resolve("run-hadoop-3"), "--set", "models.dir=" + uri,
        "--set", "models=3"));
    assertTrue(err.contains("has no trained model m2"), err);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** What a command that fails on its input (exit status 2) prints on stderr. */
  public static String stderrOf(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run(args), "exit status of an input error");
    } finally {
      System.setErr(saved);
    }
    return err.toString();
  }
}
