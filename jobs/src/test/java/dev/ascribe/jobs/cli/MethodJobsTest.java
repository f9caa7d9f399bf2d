package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attribute job picks the checkpoints each new method needs: TracIn every listed epoch of every
 * model weighted train.lr / models, RPS the final epochs refitted on the training rows.
 */
class MethodJobsTest {
  private static final List<String> SMALL = List.of("data.train.count=300",
      "data.queries.count=20", "train.epochs=3", "train.checkpoints=[1, 3]", "models=2",
      "projection.dim=32");

  @TempDir static Path dir;

  private static String[] args(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("attribute", "--conf", "conf/mnist-lr.conf",
        "--out", out.toString()));
    for (String s : SMALL) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  /** Runs the job and compares its full scores with the in-memory scores of {@code expected}. */
  private static void check(String method, String... sets) throws Exception {
    Path out = dir.resolve(method);
    List<String> extra = new ArrayList<>(List.of("--set", "method=" + method));
    for (String s : sets) {
      extra.addAll(List.of("--set", s));
    }
    assertEquals(0, Main.run(args(out, extra.toArray(new String[0]))));
    List<String> options = new ArrayList<>(SMALL);
    options.add("method=" + method);
    options.addAll(List.of(sets));
    JobConfig config = JobConfig.load(ProjectRoot.find().resolve("conf/mnist-lr.conf"), options);
    Setting setting = Setting.of(config, DataRoot.resolve(Optional.empty()));
    ModelStore store = new ModelStore(out.resolve("models"));
    List<Checkpoint> checkpoints = new ArrayList<>();
    MethodSpec spec = Methods.spec(config);
    if (method.equals("tracin")) {
      for (int m = 0; m < 2; m++) {
        for (int epoch : List.of(1, 3)) {
          checkpoints.add(Checkpoint.fromStore(store, m, epoch).withWeight(0.01 / 2));
        }
      }
    } else {
      checkpoints = spec.prepare(List.of(Checkpoint.fromStore(store, 0, 3),
          Checkpoint.fromStore(store, 1, 3)), setting.trainData(), 2);
    }
    ScoreMatrix expected = spec.create(checkpoints, 2)
        .attribute(setting.trainData(), setting.queryData());
    var actual = Tables.readScoresFull(SparkSessions.local(), out.resolve("scores/full")
        .toString());
    PipelineCommandsTest.assertSameScores(expected, actual, method);
  }

  @Test
  void tracinUsesEveryListedEpochOfEveryModel() throws Exception {
    check("tracin");
  }

  @Test
  void rpsRefitsTheFinalEpochs() throws Exception {
    check("rps", "rps.lambda=0.01");
  }
}
