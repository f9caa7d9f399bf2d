package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.pipeline.Agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attribute} and {@code groundtruth} submitted to a real standalone cluster
 * (bin/spark-cluster: two workers with one core and 1g each, every port on 127.0.0.1;
 * bin/ascribe-submit, two executors) agree with the same commands run embedded, within DESIGN.md's tolerance. Only the
 * command line and the output tables are used. The runs are bounded to {@link #LIMIT} (then the
 * processes are killed and the test fails), the stop to 2 more minutes; the cluster is always
 * stopped. The scripts' output stays in jobs/target/cluster-it, the cluster's logs (executors'
 * too) in jobs/target/cluster-it/cluster.
 */
class ClusterIT {
  /** The time the cluster start and the four runs may take together. */
  static final Duration LIMIT = Duration.ofMinutes(8);
  /**
   * A small MNIST-LR setting (400 training examples, 40 queries, 2 models, k = 64, 6 ground-truth
   * models); no extra checkpoints, since the configured ones lie past epoch 3.
   */
  static final List<String> SMALL = List.of("data.train.count=400", "data.queries.count=40",
      "train.epochs=3", "train.checkpoints=[]", "models=2", "projection.dim=64",
      "groundtruth.models=6");

  @TempDir static Path dir;
  private static Path home;
  private static Path logs;
  private static Path state;
  private static int uiPort;
  private static long deadline;
  private static Thread stopOnExit;
  private static final List<String> SUBMITTED = new ArrayList<>();
  /** Why the tests are skipped, or null. */
  private static String skipped;

  @BeforeAll
  @Timeout(value = 9, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  static void runOnTheClusterAndEmbedded() throws Exception {
    deadline = System.nanoTime() + LIMIT.toNanos();
    home = ProjectRoot.find();
    Path script = home.resolve("bin/spark-cluster");
    if (!Files.isExecutable(script)) {
      // Reported per test by requireCluster: an assumption failing here would hide the tests.
      skipped = "ClusterIT skipped: " + script + " is not executable (chmod +x bin/spark-cluster"
          + " bin/ascribe-submit to run the cluster test)";
      System.err.println(skipped);
      return;
    }
    logs = home.resolve("jobs/target/cluster-it");
    state = logs.resolve("cluster");
    int port = freePort();
    uiPort = freePort();
    stopOnExit = new Thread(ClusterIT::stopCluster, "stop-cluster-it");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    long t0 = System.nanoTime();
    // The embedded runs go while the cluster's JVMs start: that start is mostly waiting.
    Started start = start("start", script.toString(), "start", "--workers", "2", "--cores", "1",
        "--memory", "1g", "--port", Integer.toString(port), "--ui-port", Integer.toString(uiPort));
    for (String command : List.of("attribute", "groundtruth")) {
      assertEquals(0, Main.run(args(command, "embedded").toArray(new String[0])),
          "embedded " + command + " exit status");
    }
    long t1 = System.nanoTime();
    start.await();
    long t2 = System.nanoTime();
    for (String command : List.of("attribute", "groundtruth")) {
      List<String> submit = new ArrayList<>(List.of(home.resolve("bin/ascribe-submit").toString(),
          "--total-executor-cores", "2", "--executor-cores", "1", "--executor-memory", "1g", "--"));
      submit.addAll(args(command, "cluster"));
      start("submit-" + command, submit.toArray(new String[0])).await();
      SUBMITTED.add("ascribe " + command);
    }
    System.out.printf("ClusterIT: embedded runs %.1f s (cluster starting meanwhile), cluster up"
        + " %.1f s later, 2 submissions %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        (System.nanoTime() - t2) / 1e9);
  }

  @BeforeEach
  void requireCluster() {
    assumeTrue(skipped == null, skipped);
  }

  @AfterAll
  static void stopTheCluster() {
    if (stopOnExit != null) {
      stopCluster();
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }
  }

  @Test
  void scoresAgreeWithinTolerance() {
    SparkSession spark = SparkSessions.local();
    FullScores embedded = Tables.readScoresFull(spark, table("embedded", "scores/full"));
    FullScores cluster = Tables.readScoresFull(spark, table("cluster", "scores/full"));
    assertEquals(400, embedded.exampleIds().length);
    assertEquals(40, embedded.queryIds().length);
    double tol = Agreement.fullScores(embedded, cluster).tolerance();
    Agreement.topK(Tables.readScoresTopK(spark, table("embedded", "scores/topk")),
        Tables.readScoresTopK(spark, table("cluster", "scores/topk")), embedded, tol);
  }

  @Test
  void groundTruthAgreesWithin1e9() {
    SparkSession spark = SparkSessions.local();
    Agreement.groundTruth(Tables.readGroundTruth(spark, table("embedded", "groundtruth")),
        Tables.readGroundTruth(spark, table("cluster", "groundtruth")));
  }

  /** Both applications finished on the cluster with 2 cores: one executor on each worker. */
  @Test
  @SuppressWarnings("unchecked")
  void bothSubmissionsRanOnTwoExecutors() throws Exception {
    String json = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    List<Map<String, Object>> apps =
        (List<Map<String, Object>>) new Gson().fromJson(json, Map.class).get("completedapps");
    for (String name : SUBMITTED) {
      Map<String, Object> app = apps.stream().filter(a -> name.equals(a.get("name"))).findFirst()
          .orElseThrow(() -> new AssertionError(name + " is not a completed app: " + json));
      assertEquals("FINISHED", app.get("state"), name);
      assertEquals(2.0, app.get("cores"), name + " had 2 cores");
      Path appDir = state.resolve("work").resolve((String) app.get("id"));
      try (Stream<Path> executors = Files.list(appDir)) {
        assertEquals(2, executors.count(), name + ": executor folders in the workers' work dir");
      }
    }
    assertEquals(2, SUBMITTED.size());
  }

  /** The arguments of a command on the small setting, writing to the absolute folder dir/RUN. */
  private static List<String> args(String command, String run) {
    List<String> a = new ArrayList<>(List.of(command, "--conf", "conf/mnist-lr.conf", "--out",
        dir.resolve(run).toAbsolutePath().toString()));
    for (String s : SMALL) {
      a.add("--set");
      a.add(s);
    }
    return a;
  }

  private static String table(String run, String name) {
    return dir.resolve(run).resolve(name).toString();
  }

  /** A script started by {@link #start}. */
  private record Started(String name, Process process, Path log) {
    /** Waits for the script (until the test's deadline) and fails unless it exits with 0. */
    void await() throws IOException, InterruptedException {
      long left = Math.max(1, deadline - System.nanoTime());
      if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(name + " did not finish within the test's limit of " + LIMIT
            + "; output in " + log);
      }
      String out = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " (" + log
            + "):\n" + tail(out));
      }
      System.out.println(name + ": " + out.lines().filter(l -> !l.contains("Warning"))
          .reduce((a, b) -> b).orElse(""));
    }
  }

  /** Starts a script with the cluster's environment; its output goes to LOGS/NAME.log. */
  private static Started start(String name, String... command) throws IOException {
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).directory(home.toFile());
    environment(pb);
    return new Started(name, pb.start(), log);
  }

  private static void environment(ProcessBuilder pb) {
    pb.environment().put("ASCRIBE_CLUSTER_DIR", state.toString());
    pb.environment().put("ASCRIBE_NO_BUILD", "1"); // Maven packaged the jars just before
    pb.environment().put("ASCRIBE_HEAP", "2g");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
  }

  /**
   * Kills any script this JVM started that is still running (a start or submission cut off by a
   * failure or the time limit) with its children, then stops the cluster (bin/spark-cluster stop,
   * by PID).
   */
  private static void stopCluster() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/spark-cluster").toString(), "stop")
          .redirectErrorStream(true).redirectOutput(logs.resolve("stop.log").toFile());
      environment(pb);
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        System.err.println("ClusterIT: bin/spark-cluster stop did not finish in 2 minutes");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run bin/spark-cluster stop: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the cluster", e);
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  /** A free TCP port on 127.0.0.1 (a developer's own cluster on 7077/8080 is left alone). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
