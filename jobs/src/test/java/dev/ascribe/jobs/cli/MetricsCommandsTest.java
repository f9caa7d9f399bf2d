package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.provenance.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOO ground truth → evaluate, and noisy-labels, on a small MNIST-LR slice; their error paths. */
class MetricsCommandsTest {
  @TempDir static Path dir;

  @BeforeAll
  static void runCommands() {
    assertEquals(0, Main.run(PipelineCommandsTest.args("attribute", dir.resolve("run"))));
    assertEquals(0, Main.run(PipelineCommandsTest.args("groundtruth", dir.resolve("loo"),
        "--set", "groundtruth.kind=loo", "--set", "groundtruth.loo.count=6", "--set",
        "models.dir=" + dir.resolve("run/models"))));
    assertEquals(0, Main.run(PipelineCommandsTest.args("evaluate", dir.resolve("run"),
        "--groundtruth", dir.resolve("loo").toString())));
    assertEquals(0, Main.run(PipelineCommandsTest.args("noisy-labels", dir.resolve("noisy"),
        "--set", "method=grad-dot", "--set", "models=1")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path file) throws Exception {
    return new Gson().fromJson(Files.readString(file), Map.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void looGroundTruthReproducesModel0AndEvaluateReportsTheLooCorrelation() throws Exception {
    Map<String, Object> gt = Provenance.read(dir.resolve("loo/groundtruth-loo"));
    Map<String, Object> full = (Map<String, Object>) gt.get("full_model");
    assertEquals(Boolean.TRUE, full.get("identical_to_model_0"), full.toString());
    assertEquals(6, ((List<?>) gt.get("removed_ids")).size());
    Map<String, Object> m = json(dir.resolve("run/eval/metrics.json"));
    assertFalse(m.containsKey("lds"), "the ground-truth folder holds no LDS table");
    Map<String, Object> loo = (Map<String, Object>) m.get("loo");
    assertEquals(6.0, loo.get("removed"));
    assertEquals(40.0, (Double) loo.get("queries") + (Double) loo.get("queries_skipped"));
    double mean = (Double) loo.get("mean");
    assertTrue(mean >= -1 && mean <= 1, "a mean of correlations: " + mean);
  }

  @Test
  @SuppressWarnings("unchecked")
  void noisyLabelsWritesTheAucOfTheFlippedLabels() throws Exception {
    Map<String, Object> m = json(dir.resolve("noisy/eval/metrics.json"));
    assertEquals("grad-dot", m.get("method"));
    Map<String, Object> noisy = (Map<String, Object>) m.get("noisy_auc");
    assertEquals(40.0, noisy.get("flipped"), "10% of 400 training rows");
    assertEquals(400.0, noisy.get("examples"));
    assertEquals(0.1, noisy.get("fraction"));
    // Mislabelled rows are the ones the model cannot fit: their loss gradients are large.
    double auc = (Double) noisy.get("auc");
    assertTrue(auc > 0.7 && auc <= 1, "grad-dot finds flipped labels: AUC " + auc);
    assertTrue(Files.exists(dir.resolve("noisy/scores/self/_SUCCESS")));
    assertTrue(Files.exists(dir.resolve("noisy/models/m0/model.json")));
    assertTrue(Provenance.read(dir.resolve("noisy/eval")) != null);
  }

  @Test
  void badOptionsAreNamed() {
    assertContains(stderr("groundtruth", "--set", "groundtruth.kind=loo", "--set",
        "groundtruth.loo.count=401"), "groundtruth option loo.count given 401: must be <= the"
        + " number of training rows, 400");
    assertContains(stderr("groundtruth", "--set", "groundtruth.kind=both"),
        "option groundtruth.kind given both: expected lds or loo");
    assertContains(stderr("noisy-labels", "--set", "noisy.fraction=1.5"),
        "noisy option fraction given 1.5: must be in (0, 1)");
    assertContains(stderr("noisy-labels", "--set", "noisy.fraction=0"),
        "noisy option fraction given 0.0: must be in (0, 1)");
    assertContains(stderr("noisy-labels", "--set", "models.dir=" + dir.resolve("run/models")),
        "option models.dir given " + dir.resolve("run/models"));
    assertContains(stderr("evaluate", "--groundtruth", dir.resolve("run").toString()),
        "holds no complete groundtruth/ (LDS) or groundtruth-loo/ (LOO) table");
  }

  private static String stderr(String command, String... extra) {
    List<String> a = new ArrayList<>(List.of(extra));
    return BadInputTest.stderrOf(PipelineCommandsTest.args(command, dir.resolve("bad"),
        a.toArray(new String[0])));
  }

  private static void assertContains(String message, String part) {
    assertTrue(message.contains(part), message);
  }
}
