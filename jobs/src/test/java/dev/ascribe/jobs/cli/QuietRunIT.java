package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees from bin/ascribe: on a normal run only Ascribe's own log lines (the device once,
 * no CUDA or PyTorch warnings); on a failure inside a Spark task the {@code error:} line and where
 * the full log is, no stack traces.
 */
class QuietRunIT {
  /** An Ascribe log line: time, level, a class of ours (conf/log4j2.properties' console pattern). */
  private static final Pattern OURS = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (INFO |WARN ) \\w+: .*");

  @TempDir Path dir;

  private record Run(int status, List<String> stderr) {}

  private Run ascribe(String... args) throws Exception {
    Path home = ProjectRoot.find();
    Path err = dir.resolve("stderr-" + System.nanoTime() + ".txt");
    List<String> command = new java.util.ArrayList<>(List.of(
        home.resolve("bin/ascribe").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    pb.environment().put("ASCRIBE_NO_BUILD", "1"); // Maven packaged the jars just before
    pb.environment().put("ASCRIBE_HEAP", "1g");
    pb.environment().put("ASCRIBE_LOG", dir.resolve("full.log").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "bin/ascribe finished");
    return new Run(p.exitValue(), Files.readAllLines(err));
  }

  @Test
  void aNormalRunPrintsOnlyAscribesLinesAndTheDeviceOnce() throws Exception {
    Run r = ascribe("train", "--conf", "conf/mnist-lr.conf", "--out", dir.resolve("run")
        .toString(), "--set", "data.train.count=100", "--set", "train.epochs=1", "--set",
        "train.checkpoints=[]", "--set", "models=1");
    assertEquals(0, r.status(), String.join("\n", r.stderr()));
    for (String line : r.stderr()) {
      assertTrue(OURS.matcher(line).matches(), "not an Ascribe line: " + line);
      assertFalse(line.contains("CUDA") || line.contains("Warning"), "a library's warning: "
          + line);
    }
    assertEquals(1, r.stderr().stream().filter(l -> l.contains("INFO  EngineDevice: engine: "))
        .count(), String.join("\n", r.stderr()));
  }

  @Test
  void aFailedSparkTaskPrintsTheErrorAndWhereTheFullLogIs() throws Exception {
    Path notParquet = Files.createDirectories(dir.resolve("not-parquet"));
    Files.writeString(notParquet.resolve("part-0.parquet"), "not parquet at all");
    Files.writeString(notParquet.resolve("_SUCCESS"), "");
    Run r = ascribe("attribute", "--conf", "conf/mnist-lr.conf", "--out", dir.resolve("bad")
        .toString(), "--set", "data.train.count=100", "--set", "data.queries.count=5", "--set",
        "train.epochs=1", "--set", "train.checkpoints=[]", "--set", "models=1", "--set",
        "projection.dim=16", "--set", "data.scored.path=" + notParquet);
    assertEquals(Main.BAD_INPUT, r.status(), String.join("\n", r.stderr()));
    List<String> rest = r.stderr().stream().filter(l -> !OURS.matcher(l).matches()).toList();
    assertTrue(rest.get(0).startsWith("error: " + notParquet), String.join("\n", rest));
    assertTrue(rest.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace on stderr");
  }
}
