package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attribute} with {@code model.kind=torchscript} on Parquet rows: the model comes from the
 * exported MLP fixture (nothing is trained), an imported CNN goes through attribute, groundtruth
 * (retrained from scratch) and evaluate, and bad models or methods are refused by name.
 */
class TorchScriptAttributeTest {
  @TempDir static Path dir;
  static Path train;
  static Path queries;

  @BeforeAll
  static void writeTables() throws Exception {
    SparkSession spark = SparkSessions.local();
    Path root = DataRoot.resolve(Optional.empty());
    train = dir.resolve("train.parquet");
    queries = dir.resolve("queries.parquet");
    Tables.writeInputRows(spark, Mnist.loadRange(root, Mnist.Split.TRAIN, 0, 300),
        train.toString(), true);
    Tables.writeInputRows(spark, Mnist.loadRange(root, Mnist.Split.TEST, 0, 20),
        queries.toString(), true);
  }

  static Path fixture(String name) {
    return ProjectRoot.find().resolve("core/src/test/resources/torchscript").resolve(name);
  }

  private static String[] attribute(Path out, String model, String... extra) {
    return command("attribute", out, model, extra);
  }

  private static String[] command(String command, Path out, String model, String... extra) {
    List<String> a = new ArrayList<>(List.of(command, "--conf", "conf/mnist-torchscript.conf",
        "--out", out.toString()));
    for (String s : List.of("model.file=" + model, "data.train.path=" + train,
        "data.queries.path=" + queries, "projection.dim=64", "partitions=2", "train.epochs=2",
        "groundtruth.models=6")) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void attributesTheImportedModelAndRecordsItsParameters() throws Exception {
    Path out = dir.resolve("run");
    assertEquals(0, Main.run(attribute(out, fixture("mlp.pt").toString())));
    assertTrue(Files.exists(out.resolve("scores/topk/_SUCCESS")));
    Map<String, Object> model = new Gson().fromJson(
        Files.readString(out.resolve("models/m0/model.json")), Map.class);
    Map<String, Object> arch = (Map<String, Object>) model.get("architecture");
    assertEquals("torchscript", arch.get("kind"));
    assertEquals(fixture("mlp.pt").toString(), arch.get("file"));
    List<Map<String, Object>> shapes = (List<Map<String, Object>>) arch.get("parameter_shapes");
    assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
        shapes.stream().map(s -> s.get("name")).toList());
    assertEquals(List.of(128.0, 784.0), shapes.get(0).get("shape"));
    assertEquals(fixture("mlp.pt").toString(),
        ((Map<String, Object>) model.get("training")).get("imported_from"));
    String provenance = Files.readString(out.resolve("models/_ascribe.json"));
    assertTrue(provenance.contains("parameter_shapes"), provenance);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anImportedCnnIsAttributedRetrainedAndEvaluated() throws Exception {
    // tools/small_cnn.py: conv 5x5 (4 channels) and a linear layer, two checkpoints in a folder.
    String cnn = fixture("cnn").toString();
    Path out = dir.resolve("cnn");
    Path gt = dir.resolve("cnn-gt");
    assertEquals(0, Main.run(attribute(out, cnn)));
    assertTrue(Files.exists(out.resolve("models/m1/model.json")), "one model per checkpoint");
    assertEquals(0, Main.run(command("groundtruth", gt, cnn)));
    List<String> eval = new ArrayList<>(List.of(command("evaluate", out, cnn)));
    eval.addAll(List.of("--groundtruth", gt.toString()));
    assertEquals(0, Main.run(eval.toArray(new String[0])));
    Map<String, Object> metrics = new Gson().fromJson(
        Files.readString(out.resolve("eval/metrics.json")), Map.class);
    Map<String, Object> lds = (Map<String, Object>) metrics.get("lds");
    assertEquals(6.0, lds.get("models"));
    double mean = (Double) lds.get("mean");
    // A Spearman correlation, here over 20 queries and 6 small subset models: the test shows the
    // pipeline works for an imported CNN, not how good TRAK is on it.
    assertTrue(Double.isFinite(mean) && Math.abs(mean) <= 1, "LDS on the imported CNN: " + mean);
  }

  @Test
  void refusesAModelThatDoesNotFitTheRowsAndAMethodThatNeedsTaps() {
    String width = BadInputTest.stderrOf(attribute(dir.resolve("run-width"),
        fixture("input-100.pt").toString()));
    assertTrue(width.contains("option model.file: " + fixture("input-100.pt") + " failed on a"
        + " (2, 784) float32 batch"), width);
    String classes = BadInputTest.stderrOf(attribute(dir.resolve("run-classes"),
        fixture("five-classes.pt").toString()));
    assertTrue(classes.contains("returns shape (2, 5) for a (2, 784) batch; expected (2, 10)"),
        classes);
    String method = BadInputTest.stderrOf(attribute(dir.resolve("run-cg"),
        fixture("mlp.pt").toString(), "--set", "method=if-cg", "--set",
        "if-cg.curvature=hessian"));
    assertTrue(method.contains("option if-cg.curvature given hessian for model"), method);
    String count = BadInputTest.stderrOf(attribute(dir.resolve("run-count"),
        fixture("mlp.pt").toString(), "--set", "models=3"));
    assertTrue(count.contains("option models.count given 3: must be left out or 1 for model.kind"
        + " torchscript"), count);
  }
}
