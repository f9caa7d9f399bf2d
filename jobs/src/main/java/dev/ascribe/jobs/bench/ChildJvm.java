package dev.ascribe.jobs.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@code ascribe} command in a fresh JVM with this JVM's flags and classpath (its own
 * heap size), output to a log file: each benchmark row gets its own peak memory and cannot take
 * the suite down when it runs out of memory or time.
 */
final class ChildJvm {
  /** How a child ended. */
  record Outcome(int exitCode, boolean timedOut, double seconds, String logTail) {}

  private final String heap;
  private final long timeoutMinutes;

  ChildJvm(String heap, long timeoutMinutes) {
    this.heap = heap;
    this.timeoutMinutes = timeoutMinutes;
  }

  Outcome run(List<String> args, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-Xmx")) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(dev.ascribe.jobs.cli.Main.class.getName());
    command.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    long start = System.nanoTime();
    Process p = pb.start();
    boolean finished = p.waitFor(timeoutMinutes, TimeUnit.MINUTES);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(finished ? p.exitValue() : -1, !finished, seconds, tail(log.toFile()));
  }

  private static String tail(File log) throws IOException {
    List<String> lines = Files.readAllLines(log.toPath());
    List<String> useful = new ArrayList<>();
    for (String line : lines) {
      if (line.contains("error") || line.contains("Exception") || line.contains("Error")) {
        useful.add(line);
      }
    }
    List<String> pick = useful.isEmpty() ? lines : useful;
    return String.join("\n", pick.subList(Math.max(0, pick.size() - 3), pick.size()));
  }
}
