package dev.ascribe.jobs.progress;

import java.io.PrintStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;

/**
 * Progress of the long stages (featurize, score, ground truth) on any master, counted on the
 * driver from Spark's own events: a job started inside {@link #stage} is followed task by task
 * (tasks finished of the tasks its stages hold, less those of stages Spark skips, and the rows
 * finished tasks wrote, from their output metrics) into a {@link ProgressReporter}. Counting finished tasks, not guessing rows,
 * keeps the numbers honest: a ground-truth task is one model; a featurize or score task is one
 * partition of the rows.
 */
public final class SparkProgress extends SparkListener {
  /** Job descriptions of followed jobs start with this. */
  static final String PREFIX = "ascribe ";
  private static final String DESCRIPTION = "spark.job.description";
  private static final Set<SparkContext> ATTACHED =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private final PrintStream out;
  private final long intervalNanos;
  private final Map<Integer, Job> jobs = new HashMap<>();
  private final Map<Integer, Job> byStage = new HashMap<>();

  SparkProgress(PrintStream out, long intervalNanos) {
    this.out = out;
    this.intervalNanos = intervalNanos;
  }

  /**
   * Reports the progress of {@code spark}'s labelled jobs on stderr, a line at most every 5
   * seconds; idempotent per Spark context.
   */
  public static void attach(SparkSession spark) {
    SparkContext context = spark.sparkContext();
    if (ATTACHED.add(context)) {
      context.addSparkListener(new SparkProgress(System.err, 5_000_000_000L));
    }
  }

  /**
   * Labels the Spark jobs this thread starts until {@link Label#close}, which restores the
   * previous label; cheap, and harmless when no listener is attached.
   *
   * @param name the stage's name as progress lines show it
   */
  public static Label stage(SparkSession spark, String name) {
    SparkContext context = spark.sparkContext();
    String previous = context.getLocalProperty(DESCRIPTION);
    context.setJobDescription(PREFIX + name);
    return () -> context.setJobDescription(previous);
  }

  /** The end of a labelled stretch. */
  public interface Label extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    String description = event.properties() == null ? null
        : event.properties().getProperty(DESCRIPTION);
    if (description == null || !description.startsWith(PREFIX)) {
      return;
    }
    long total = 0;
    Job job = new Job(new ProgressReporter(description.substring(PREFIX.length()), "tasks", out,
        System::nanoTime, intervalNanos));
    for (StageInfo stage : scala.jdk.javaapi.CollectionConverters.asJava(event.stageInfos())) {
      total += stage.numTasks();
      job.stages.put(stage.stageId(), stage);
      byStage.put(stage.stageId(), job);
    }
    job.total = total;
    jobs.put(event.jobId(), job);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    Job job = byStage.get(event.stageId());
    if (job == null || !event.taskInfo().successful()) {
      return;
    }
    job.done++;
    if (event.taskMetrics() != null) {
      job.rows += event.taskMetrics().outputMetrics().recordsWritten();
    }
    job.reporter.update(job.done, job.total, job.rows);
  }

  /**
   * Stages run parents first, so the parents of a submitted stage that were never submitted are
   * skipped (their shuffle output exists from an earlier job): their tasks leave the total.
   */
  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    Job job = byStage.get(event.stageInfo().stageId());
    if (job != null) {
      job.submitted.add(event.stageInfo().stageId());
      job.skipParentsOf(event.stageInfo());
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd event) {
    Job job = jobs.remove(event.jobId());
    if (job != null) {
      byStage.values().removeIf(j -> j == job);
      job.reporter.finish(job.done, job.total, job.rows);
    }
  }

  /** One followed job's counts. */
  private static final class Job {
    final ProgressReporter reporter;
    final Map<Integer, StageInfo> stages = new HashMap<>();
    final Set<Integer> submitted = new HashSet<>();
    long total;
    long done;
    long rows;

    Job(ProgressReporter reporter) {
      this.reporter = reporter;
    }

    void skipParentsOf(StageInfo stage) {
      for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(stage.parentIds())) {
        StageInfo parent = stages.get((Integer) id);
        if (parent != null && submitted.add(parent.stageId())) {
          total -= parent.numTasks();
          skipParentsOf(parent);
        }
      }
    }
  }
}
