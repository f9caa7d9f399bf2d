package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import dev.ascribe.udf.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attribute → groundtruth → evaluate on a small MNIST-LR slice, and their error paths. */
class PipelineCommandsTest {
  /** A small, fast variant of mnist-lr. */
  static final List<String> SMALL = List.of("data.train.count=400", "data.queries.count=40",
      "train.epochs=3", "train.checkpoints=[]", "models=2", "projection.dim=64",
      "groundtruth.models=6");

  @TempDir static Path dir;

  @BeforeAll
  static void runPipeline() {
    assertEquals(0, Main.run(args("attribute", dir.resolve("run"))));
    assertEquals(0, Main.run(args("groundtruth", dir.resolve("gt"))));
    List<String> eval = new ArrayList<>(List.of(args("evaluate", dir.resolve("run"))));
    eval.addAll(List.of("--groundtruth", dir.resolve("gt").toString()));
    assertEquals(0, Main.run(eval.toArray(new String[0])));
  }

  static String[] args(String command, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of(command, "--conf", "conf/mnist-lr.conf", "--out",
        out.toString()));
    for (String s : SMALL) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void evaluateWritesTheMetricsContract() throws Exception {
    Map<String, Object> m = new Gson().fromJson(
        Files.readString(dir.resolve("run/eval/metrics.json")), Map.class);
    assertEquals("mnist-lr", m.get("setting"));
    assertEquals("trak", m.get("method"));
    assertEquals("margin", m.get("target"));
    Map<String, Object> lds = (Map<String, Object>) m.get("lds");
    assertEquals(40.0, (Double) lds.get("queries") + (Double) lds.get("queries_skipped"));
    assertEquals(6.0, lds.get("models"));
    double mean = (Double) lds.get("mean");
    assertTrue(mean > 0.1 && mean <= 1, "LDS of TRAK on LR is clearly positive: " + mean);
    assertTrue(((Map<String, Object>) m.get("seconds")).containsKey("featurize"));
  }

  @Test
  void everyStageHasProvenanceAndTopKIsComplete() throws Exception {
    for (String stage : List.of("models", "features", "kernel", "scores", "eval")) {
      Map<String, Object> p = Provenance.read(dir.resolve("run").resolve(stage));
      assertTrue(p != null && p.containsKey("versions"), stage + " has _ascribe.json");
    }
    assertTrue(Files.exists(dir.resolve("run/kernel/model=1/kernel.bin")));
    assertTrue(Provenance.read(dir.resolve("gt/groundtruth")) != null);
    TopKScores top = Tables.readScoresTopK(SparkSessions.local(),
        dir.resolve("run/scores/topk").toString());
    long perQuery = Arrays.stream(top.queryIds()).filter(q -> q == 0).count();
    assertTrue(perQuery > 0 && perQuery <= 20, "at most 10 proponents and 10 opponents");
  }

  @Test
  void errorsNameWhatIsWrong() {
    String unknownMethod = stderrOf(args("attribute", dir.resolve("x"), "--set", "method=magic"));
    assertTrue(unknownMethod.contains("option method given magic: expected one of trak, grad-dot"),
        unknownMethod);
    String negativeLambda = stderrOf(args("attribute", dir.resolve("x"), "--set", "lambda=-1"));
    assertTrue(negativeLambda.contains("lambda given '-1'"), negativeLambda);
    String zeroDim = stderrOf(args("attribute", dir.resolve("x"), "--set", "projection.dim=-1"));
    assertTrue(zeroDim.contains("projection.dim given -1: must be >= 1, or 0"), zeroDim);
    String noScores = stderrOf(args("evaluate", dir.resolve("gt"), "--groundtruth",
        dir.resolve("gt").toString()));
    assertTrue(noScores.contains(dir.resolve("gt/scores/full").toString()), noScores);
  }

  @Test
  void aDivergedSolverNamesTheOptionAndWritesNoScores() throws Exception {
    Path out = dir.resolve("lissa");
    Path reusedProvenance = dir.resolve("run/models/_ascribe.json");
    String before = java.nio.file.Files.readString(reusedProvenance);
    String err = stderrOf(args("attribute", out, "--set", "method=if-lissa",
        "--set", "if-lissa.scale=0.0001", "--set", "models.dir=" + dir.resolve("run/models")));
    assertTrue(err.contains("error: if-lissa diverged") && err.contains("raise if-lissa.scale"),
        err);
    assertFalse(java.nio.file.Files.exists(out.resolve("scores/topk/_SUCCESS")));
    assertFalse(java.nio.file.Files.exists(out.resolve("scores/_ascribe.json")));
    // Reusing models through models.dir leaves their folder as it was.
    assertEquals(before, java.nio.file.Files.readString(reusedProvenance));
  }

  @Test
  void rerunReusesStagesAndAChangedOptionRecomputesFromItsStage() throws Exception {
    Path run = dir.resolve("rerun");
    List<String> computed = topProponentsOf(args("attribute", run));
    byte[] scores = Files.readAllBytes(onlyPart(run.resolve("scores/topk")));
    java.nio.file.attribute.FileTime featuresTime =
        Files.getLastModifiedTime(run.resolve("features/_ascribe.json"));
    // The printed top-K comes from the score pass itself, the reused one from the stored table.
    assertEquals(computed, topProponentsOf(args("attribute", run)));
    assertTrue(computed.size() > 3, computed.toString());
    assertEquals(featuresTime, Files.getLastModifiedTime(run.resolve("features/_ascribe.json")));
    assertTrue(Arrays.equals(scores, Files.readAllBytes(onlyPart(run.resolve("scores/topk")))));
    // A new top-K: the kernel stage is reused from its stored factorization, never refitted.
    java.nio.file.attribute.FileTime kernelTime =
        Files.getLastModifiedTime(run.resolve("kernel/_ascribe.json"));
    java.nio.file.attribute.FileTime factorTime =
        Files.getLastModifiedTime(run.resolve("kernel/model=0/kernel.bin"));
    assertEquals(0, Main.run(args("attribute", run, "--set", "topk=3")));
    assertEquals(kernelTime, Files.getLastModifiedTime(run.resolve("kernel/_ascribe.json")));
    assertEquals(factorTime, Files.getLastModifiedTime(run.resolve("kernel/model=0/kernel.bin")));
    assertTrue(Provenance.read(run.resolve("scores")).toString().contains("topk=3"));
    // A new λ: features reused, kernel and scores recomputed.
    assertEquals(0, Main.run(args("attribute", run, "--set", "lambda=0.5x")));
    assertEquals(featuresTime, Files.getLastModifiedTime(run.resolve("features/_ascribe.json")));
    Map<String, Object> kernel = Provenance.read(run.resolve("kernel"));
    assertTrue(kernel.toString().contains("lambda=0.5x"), kernel.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void sparkScoresEqualTheInMemoryApiOnMnistLr(int partitions) throws Exception {
    Path out = dir.resolve("p" + partitions);
    assertEquals(0, Main.run(args("attribute", out, "--set", "partitions=" + partitions,
        "--set", "models.dir=" + dir.resolve("run/models"))));
    assertEqualsInMemory("conf/mnist-lr.conf", SMALL, dir.resolve("run/models"), out);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void sparkScoresEqualTheInMemoryApiOnMnistMlp(int partitions) throws Exception {
    Path out = dir.resolve("mlp-p" + partitions);
    List<String> a = new ArrayList<>(List.of("attribute", "--conf", "conf/mnist-mlp.conf",
        "--out", out.toString(), "--set", "partitions=" + partitions, "--set",
        "models.dir=" + dir.resolve("mlp-models")));
    for (String s : SMALL) {
      a.add("--set");
      a.add(s);
    }
    assertEquals(0, Main.run(a.toArray(new String[0])));
    assertEqualsInMemory("conf/mnist-mlp.conf", SMALL, dir.resolve("mlp-models"), out);
  }

  @Test
  void ekfacFitsAcrossPartitionsStoresItsFactorsAndARerunReusesThem() throws Exception {
    Path out = dir.resolve("ekfac");
    Path models = dir.resolve("run/models");
    assertEquals(0, Main.run(args("attribute", out, "--set", "method=if-ekfac", "--set",
        "partitions=3", "--set", "models.dir=" + models)));
    List<String> sets = new ArrayList<>(SMALL);
    sets.add("method=if-ekfac");
    assertEqualsInMemory("conf/mnist-lr.conf", sets, models, out);
    Path factors = out.resolve("kernel/model=1/kernel.bin");
    java.nio.file.attribute.FileTime fitted = Files.getLastModifiedTime(factors);
    String kernel = Provenance.read(out.resolve("kernel")).toString();
    assertTrue(kernel.contains("kind=ekfac") && kernel.contains("eigenvalue_correction"), kernel);
    // A new top-K reads the stored factors back: nothing is refitted.
    assertEquals(0, Main.run(args("attribute", out, "--set", "method=if-ekfac", "--set",
        "partitions=3", "--set", "models.dir=" + models, "--set", "topk=3")));
    assertEquals(fitted, Files.getLastModifiedTime(factors));
    assertTrue(Provenance.read(out.resolve("scores")).toString().contains("kind=ekfac"));
  }

  @Test
  void aTopKOnlyRunStreamsTheSameTopKAndWritesNoFullScores() throws Exception {
    Path out = dir.resolve("topk-only");
    assertEquals(0, Main.run(args("attribute", out, "--set", "scores.full=false", "--set",
        "models.dir=" + dir.resolve("run/models"))));
    assertFalse(Files.exists(out.resolve("scores/full")));
    TopKScores full = Tables.readScoresTopK(SparkSessions.local(),
        dir.resolve("run/scores/topk").toString());
    TopKScores streamed = Tables.readScoresTopK(SparkSessions.local(),
        out.resolve("scores/topk").toString());
    // Same rows, same partitioning, one query block: the same selections, bit for bit.
    assertTrue(full.size() > 0);
    assertTrue(Arrays.equals(full.queryIds(), streamed.queryIds()));
    assertTrue(Arrays.equals(full.exampleIds(), streamed.exampleIds()));
    assertTrue(Arrays.equals(full.scores(), streamed.scores()));
    String record = Provenance.read(out.resolve("scores")).toString();
    assertTrue(record.contains("full_scores=false") && record.contains("rows=400"), record);
  }

  @Test
  void theDeviceIsRecordedAndGpuWithoutOneIsAnError() throws Exception {
    String featurize = Provenance.read(dir.resolve("run/features")).toString();
    assertTrue(featurize.contains("device=cpu()"), featurize);
    String err = BadInputTest.stderrOf(args("attribute", dir.resolve("on-gpu"), "--set",
        "device=gpu"));
    assertTrue(err.contains("option device given 'gpu': the PyTorch engine sees no GPU"), err);
    assertTrue(BadInputTest.stderrOf(args("attribute", dir.resolve("on-tpu"), "--set",
        "device=tpu")).contains("option device given 'tpu': expected auto, cpu or gpu"));
  }

  /** The run's full scores against the in-memory API on the same rows and stored models. */
  private static void assertEqualsInMemory(String conf, List<String> sets, Path models, Path out)
      throws Exception {
    JobConfig config = JobConfig.load(ProjectRoot.find().resolve(conf), sets);
    Setting setting = Setting.of(config, DataRoot.resolve(Optional.empty()));
    ModelStore store = new ModelStore(models);
    List<Checkpoint> checkpoints = List.of(Checkpoint.fromStore(store, 0, 3),
        Checkpoint.fromStore(store, 1, 3));
    ScoreMatrix expected = Methods.attributor(config, checkpoints)
        .attribute(setting.trainData(), setting.queryData());
    var actual = Tables.readScoresFull(SparkSessions.local(), out.resolve("scores/full")
        .toString());
    assertTrue(Arrays.equals(expected.queryIds(), actual.queryIds()));
    assertSameScores(expected, actual, conf);
  }

  /** A job's full scores equal the in-memory ones: same rows, within 1e-5 of the scale. */
  static void assertSameScores(ScoreMatrix expected, dev.ascribe.udf.io.FullScores actual,
      String what) {
    assertTrue(Arrays.equals(expected.trainIds(), actual.exampleIds()), what + ": example ids");
    double max = 0;
    double diff = 0;
    for (int i = 0; i < expected.numTrain(); i++) {
      for (int q = 0; q < expected.numQueries(); q++) {
        max = Math.max(max, Math.abs(expected.get(i, q)));
        diff = Math.max(diff, Math.abs(expected.get(i, q) - actual.scores()[i][q]));
      }
    }
    assertTrue(max > 0 && diff <= 1e-5 * max, what + ": max |Δ| " + diff + " of " + max);
  }

  private static Path onlyPart(Path table) throws Exception {
    try (var files = Files.list(table)) {
      return files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst()
          .orElseThrow();
    }
  }

  @Test
  void groundTruthOfAnotherTrainingSetIsRefused() {
    Path other = dir.resolve("gt-other");
    assertEquals(0, Main.run(args("groundtruth", other, "--set", "data.train.offset=1000")));
    String err = stderrOf(args("evaluate", dir.resolve("run"), "--groundtruth", other.toString()));
    assertTrue(err.contains("different training rows"), err);
  }

  /** The top proponents an attribute run prints (query headers and ranked lines). */
  private static List<String> topProponentsOf(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      assertEquals(0, Main.run(args));
    } finally {
      System.setOut(saved);
    }
    return out.toString().lines()
        .filter(l -> l.startsWith("query ") || l.matches("\\s+\\d+\\. train .*")).toList();
  }

  private static String stderrOf(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run(args), "exit status of a usage or input error");
    } finally {
      System.setErr(saved);
    }
    return err.toString();
  }
}
