package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.jobs.pipeline.RunLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --out folder is made and locked before any work: mistakes and clashes fail at once. */
class OutFolderTest {
  @TempDir Path dir;

  @Test
  void aFolderAnotherRunHoldsExitsWithStatus3NamingTheHolder() throws Exception {
    Path out = dir.resolve("run");
    Files.createDirectories(out);
    try (RunLock held = RunLock.acquire(out)) {
      Result r = run(PipelineCommandsTest.args("attribute", out));
      assertEquals(Main.LOCKED, r.status, r.err);
      assertTrue(r.err.startsWith("error: " + out + " is in use by another Ascribe run (host "),
          r.err);
      assertTrue(r.err.contains("pid " + ProcessHandle.current().pid()), r.err);
      assertTrue(r.seconds < 10, "refused before any work: " + r.seconds + " s");
    }
  }

  @Test
  void withWaitARunWaitsForTheHolderThenExitsWithStatus3AfterTheTimeout() throws Exception {
    Path out = dir.resolve("waiting");
    Files.createDirectories(out);
    try (RunLock held = RunLock.acquire(out)) {
      Result r = run(PipelineCommandsTest.args("attribute", out, "--wait", "--wait-timeout",
          "1"));
      assertEquals(Main.LOCKED, r.status, r.err);
      assertTrue(r.err.contains("is in use by another Ascribe run")
          && r.err.contains("(waited 1 s, the --wait-timeout)"), r.err);
      assertTrue(r.seconds >= 1, "waited: " + r.seconds + " s");
    }
    Result negative = run(PipelineCommandsTest.args("attribute", out, "--wait-timeout", "-1"));
    assertEquals(Main.BAD_INPUT, negative.status, negative.err);
    assertEquals("error: --wait-timeout given -1: must be >= 0 seconds", negative.err.strip());
  }

  @Test
  void anOutUnderARegularFileSaysSoBeforeAnyWork() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Result r = run(PipelineCommandsTest.args("attribute", file.resolve("run")));
    assertEquals(Main.BAD_INPUT, r.status, r.err);
    assertEquals("error: --out " + file.resolve("run") + ": cannot create the run folder: " + file
        + " is a file, not a folder; choose another --out", r.err.strip());
    assertTrue(r.seconds < 10, "refused before any work: " + r.seconds + " s");
  }

  @Test
  void anOutOnAKernelFileSystemSaysWhatFailed() {
    Path out = Path.of("/proc/ascribe-out");
    Result r = run(PipelineCommandsTest.args("train", out));
    assertEquals(Main.BAD_INPUT, r.status, r.err);
    assertTrue(r.err.startsWith("error: --out /proc/ascribe-out: cannot create the run folder: "),
        r.err);
    assertTrue(r.err.contains("under /proc (a kernel file system that holds no user folders)"),
        r.err);
  }

  @Test
  void anEmptyOutIsRefusedRatherThanTakenAsTheWorkingDirectory() {
    Result r = run("train", "--conf", "conf/mnist-lr.conf", "--out", "");
    assertEquals(Main.BAD_INPUT, r.status, r.err);
    assertEquals("error: --out given an empty path: expected the run folder to write, e.g. --out"
        + " runs/lr", r.err.strip());
  }

  @Test
  void commandsThatWriteLocallyRefuseAHadoopUriNamingTheCommandsThatTakeOne() {
    String uri = "hdfs://127.0.0.1:1/runs/x";
    List<String[]> commands = List.of(
        PipelineCommandsTest.args("train", Path.of(uri)),
        new String[] {"evaluate", "--conf", "conf/mnist-lr.conf", "--out", uri, "--groundtruth",
            dir.toString()},
        new String[] {"report", "--out", uri},
        new String[] {"sweep", "--conf", "conf/mnist-lr.conf", "--out", uri, "--groundtruth",
            dir.toString(), "--over", "lambda=0.1,1"},
        new String[] {"bench", "--suite", "mnist", "--out", uri},
        new String[] {"compare", "--out", uri, "--with", dir.toString()},
        new String[] {"synth", "--rows", "10", "--out", uri});
    for (String[] args : commands) {
      Result r = run(replaceOut(args, uri)); // as given: Path.of would fold its "//"
      assertEquals(Main.BAD_INPUT, r.status, args[0] + ": " + r.err);
      assertEquals("error: --out " + uri + ": " + args[0] + " writes to the local disk only; a"
          + " Hadoop file system URI is accepted by attribute; give " + args[0] + " a local folder"
          + " or a file: URI", r.err.strip(), args[0]);
      assertTrue(r.seconds < 10, args[0] + " refused before any work: " + r.seconds + " s");
    }
    assertFalse(Files.exists(Path.of("hdfs:")), "no local folder named after the URI");
  }

  @Test
  void aFileUriIsALocalFolderAndAnUnknownSchemeIsNamed() throws Exception {
    Path out = dir.resolve("by-uri");
    Files.createDirectories(out);
    try (RunLock held = RunLock.acquire(out)) {
      Result r = run(replaceOut(PipelineCommandsTest.args("attribute", out),
          out.toUri().toString()));
      assertEquals(Main.LOCKED, r.status, "a file: URI names the same folder and lock: " + r.err);
    }
    String unknown = "nosuch://host/runs/x";
    Result r = run(replaceOut(PipelineCommandsTest.args("attribute", out), unknown));
    assertEquals(Main.BAD_INPUT, r.status, r.err);
    assertTrue(r.err.startsWith("error: --out " + unknown + ": no Hadoop file system serves this"
        + " URI (No FileSystem for scheme \"nosuch\")"), r.err);
  }

  private static String[] replaceOut(String[] args, String out) {
    String[] copy = args.clone();
    copy[java.util.Arrays.asList(copy).indexOf("--out") + 1] = out;
    return copy;
  }

  record Result(int status, String err, double seconds) {}

  static Result run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    long start = System.nanoTime();
    try {
      int status = Main.run(args);
      return new Result(status, err.toString(), (System.nanoTime() - start) / 1e9);
    } finally {
      System.setErr(saved);
    }
  }
}
