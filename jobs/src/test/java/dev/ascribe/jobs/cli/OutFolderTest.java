package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.jobs.pipeline.RunLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
