package dev.ascribe.jobs.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.udf.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The reporter's lines on a fake clock, and the Spark listener's counts on a real job. */
class ProgressTest {
  private long now;

  @Test
  void linesAreThrottledAndEstimateTheTimeLeft() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("score", "tasks", new PrintStream(buffer, true),
        () -> now, 5_000_000_000L);
    now = 1_000_000_000L;
    p.update(1, 8, 0);
    assertEquals("", buffer.toString(), "nothing before the first interval");
    now = 6_000_000_000L;
    p.update(2, 8, 500);
    // 2 tasks in 6 s: 0.33 tasks/s, 6 left: 18 s.
    assertEquals("score: 2 of 8 tasks done (500 rows written), 0.33 tasks/s, about 18 s left"
        + System.lineSeparator(), buffer.toString());
    now = 7_000_000_000L;
    p.update(3, 8, 750);
    assertEquals(1, buffer.toString().lines().count(), "at most one line per interval");
    now = 100_000_000_000L;
    p.finish(8, 8, 2000);
    assertEquals("score: 8 of 8 tasks done (2,000 rows written) in 1 min 40 s",
        buffer.toString().lines().toList().get(1));
  }

  @Test
  void aShortStageStaysSilent() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("featurize", "tasks",
        new PrintStream(buffer, true), () -> now, 5_000_000_000L);
    p.update(4, 4, 0);
    p.finish(4, 4, 0);
    assertEquals("", buffer.toString());
  }

  @Test
  void oneLongTaskGetsOnlyTheFinalLine() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("groundtruth", "tasks",
        new PrintStream(buffer, true), () -> now, 5_000_000_000L);
    now = 9_000_000_000L;
    p.update(1, 1, 25_000);
    p.finish(1, 1, 25_000);
    assertEquals("groundtruth: 1 of 1 tasks done (25,000 rows written) in 9 s"
        + System.lineSeparator(), buffer.toString());
  }

  @Test
  void theListenerCountsTheTasksOfLabelledJobsOnly() throws Exception {
    SparkSession spark = SparkSessions.local();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    SparkProgress listener = new SparkProgress(new PrintStream(buffer, true), 0);
    spark.sparkContext().addSparkListener(listener);
    try {
      spark.range(0, 100, 1, 3).count();
      try (SparkProgress.Label label = SparkProgress.stage(spark, "test-stage")) {
        spark.range(0, 100, 1, 4).write().format("noop").mode("overwrite").save();
      }
      assertEquals(null, spark.sparkContext().getLocalProperty("spark.job.description"),
          "the label is removed after the stage");
      spark.sparkContext().listenerBus().waitUntilEmpty();
      List<String> lines = buffer.toString().lines().toList();
      assertTrue(!lines.isEmpty() && lines.stream().allMatch(l -> l.startsWith("test-stage: ")),
          "only the labelled job reports: " + lines);
      assertTrue(lines.get(lines.size() - 1).matches("test-stage: 4 of 4 tasks done in \\d+ s"),
          lines.toString());
      // A second job over the same shuffle skips the stage the first one completed: its tasks
      // are not counted as still to do.
      var shuffled = spark.range(0, 100, 1, 4).repartition(2);
      shuffled.count();
      buffer.reset();
      try (SparkProgress.Label label = SparkProgress.stage(spark, "again")) {
        shuffled.count();
      }
      spark.sparkContext().listenerBus().waitUntilEmpty();
      List<String> again = buffer.toString().lines().toList();
      assertTrue(!again.isEmpty() && again.get(again.size() - 1).matches(
          "again: (\\d+) of \\1 tasks done in \\d+ s"), again.toString());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }
}
