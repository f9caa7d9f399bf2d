package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.progress.SparkProgress;
import dev.ascribe.udf.attribute.SparkAttribution;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code attribute.incremental = true} (README "Scheduled runs"): its options and checks, and the
 * featurize stage of {@link AttributeJob} for it ({@link IncrementalFeatures}). The kernel and
 * score stages are {@link AttributeJob}'s, fed with the stored features and the merged Gram sums.
 */
public final class Incremental {
  private Incremental() {}

  /**
   * Whether option {@code attribute.incremental} is on, checked against the setting and method.
   *
   * @throws IllegalArgumentException for a value other than true or false, a scored table that is
   *     not a Parquet folder distinct from the training rows, or a method whose curvature has no
   *     per-partition sum
   */
  public static boolean enabled(JobConfig config, Setting setting) {
    String value = config.getString("attribute.incremental");
    if (!value.equals("true") && !value.equals("false")) {
      throw config.invalid("attribute.incremental", "expected true or false");
    }
    if (value.equals("false")) {
      return false;
    }
    if (!setting.scoredSpec().fromParquet() || setting.scoredSpec() == setting.trainSpec()) {
      throw new IllegalArgumentException("option attribute.incremental = true needs the scored"
          + " rows in a Parquet table folder of its own: set data.scored.path (e.g. a folder of"
          + " day=... partitions); the models are trained on data.train, which must not grow");
    }
    PreconditionerSource source = dev.ascribe.jobs.config.Methods.spec(config)
        .preconditionerSource();
    if (source != PreconditionerSource.FEATURE_KERNEL && source != PreconditionerSource.IDENTITY) {
      throw new IllegalArgumentException("option attribute.incremental = true: method "
          + config.getString("method") + " fits its curvature from all training rows at once,"
          + " which has no per-partition sum; expected a method with a feature kernel or none"
          + " (e.g. trak, grad-dot, tracin)");
    }
    return true;
  }

  /** The store's folder: option {@code attribute.store}, or {@code <out>/incremental}. */
  static String store(JobConfig config, RunFolder run) {
    String given = config.getString("attribute.store");
    return given.isEmpty() ? run.root().folder("incremental").uri() : given;
  }

  /**
   * Locks the store's folder (created if missing) for this run ({@link RunLock}, on any Hadoop
   * file system): two runs with different {@code --out} and one {@code attribute.store} would
   * otherwise remove each other's uncommitted entries.
   *
   * @throws RunLock.Held if another run holds it
   */
  static RunLock lockStore(JobConfig config, RunFolder run, SparkSession spark)
      throws IOException {
    org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(store(config, run));
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    folder.getFileSystem(conf).mkdirs(folder);
    return RunLock.acquire(folder, conf, java.time.Duration.ZERO);
  }

  /**
   * Rows a task featurizing one input partition gets at least, cores permitting: each task sets
   * up its models again (about 0.3 s here), which would outweigh its rows if a small partition
   * were split across every core as a whole table is.
   */
  static final long MIN_ROWS_PER_TASK = 2_000;

  /**
   * Spark tasks featurizing one input partition of {@code rows} rows: the {@code partitions}
   * option, or one per {@link dev.ascribe.jobs.config.Setting#ROWS_PER_PARTITION} rows (bounding a
   * task's memory) and up to one per core while each keeps {@link #MIN_ROWS_PER_TASK} rows. A
   * function of the partition's rows and the cores only, so the same partition is featurized the
   * same way in any increment.
   */
  static int partitionTasks(int parallelism, int partitionsOption, long rows) {
    if (partitionsOption > 0) {
      return partitionsOption;
    }
    long bySize = (rows + dev.ascribe.jobs.config.Setting.ROWS_PER_PARTITION - 1)
        / dev.ascribe.jobs.config.Setting.ROWS_PER_PARTITION;
    long byCores = Math.min(parallelism, (rows + MIN_ROWS_PER_TASK - 1) / MIN_ROWS_PER_TASK);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.max(bySize, byCores)));
  }

  /**
   * Spark tasks for a pass over every stored partition's features ({@code rows} in all): the
   * {@code partitions} option, or the rule of a run that is not incremental for that many rows.
   */
  static int passTasks(SparkSession spark, int partitionsOption, long rows) {
    return partitionsOption > 0 ? partitionsOption : dev.ascribe.jobs.config.Setting
        .defaultPartitions(spark.sparkContext().defaultParallelism(), rows);
  }

  /** Spark tasks for the query and validation rows under the {@code partitions} option. */
  static int tasks(SparkSession spark, int partitionsOption) {
    return partitionsOption > 0 ? partitionsOption
        : 2 * spark.sparkContext().defaultParallelism();
  }

  /**
   * The features of an incremental run.
   *
   * @param train every stored partition's training features, in ascending partition key order
   * @param queries the query features
   * @param fit the preconditioners from the merged stored Gram sums
   * @param inputs a fingerprint of every input partition and the queries
   * @param rows the training rows of every stored partition
   */
  record Features(org.apache.spark.sql.Dataset<Row> train,
      org.apache.spark.sql.Dataset<Row> queries, AttributeJob.KernelFit fit, String inputs,
      long rows) {}

  /**
   * Brings the store up to date ({@link IncrementalFeatures#update}) and records the history of
   * increments in the featurize stage's provenance ({@code features/_ascribe.json}).
   */
  static Features featurize(JobConfig config, Setting setting, MethodSpec spec, RunFolder run,
      SparkSession spark, SparkAttribution attribution, Map<String, Object> featureKey,
      Dataset queries, Map<String, Double> seconds) throws IOException {
    long t = System.nanoTime();
    boolean fitsKernel = spec.preconditionerSource() == PreconditionerSource.FEATURE_KERNEL;
    String store = store(config, run);
    IncrementalFeatures features = new IncrementalFeatures(spark, attribution, store,
        fitsKernel);
    IncrementalFeatures.Queries queryRows = new IncrementalFeatures.Queries(queries,
        setting.querySpec().fromParquet() ? setting.querySpec().path() : null,
        setting.querySpec().describe());
    IncrementalFeatures.State state;
    try (SparkProgress.Label progress = SparkProgress.stage(spark, "featurize")) {
      state = features.update(new LinkedHashMap<>(featureKey), setting.scoredSpec().path(),
          config.getInt("partitions"), queryRows);
    }
    seconds.put("featurize", AttributeJob.since(t));
    if (state.changed()) {
      Map<String, Object> key = new LinkedHashMap<>(featureKey);
      key.put("inputs", state.inputs());
      AttributeJob.stage("featurize", config, setting, spec, key)
          .put("feature_dim", spec.featureDim(setting.spec())).put("store", store)
          .put("increments", state.manifest().history().stream()
              .map(PartitionStore.Increment::toMap).toList())
          .result("seconds", seconds.get("featurize")).write(run.features());
    }
    AttributeJob.KernelFit fit = () -> attribution.preconditioners(
        fitsKernel ? features.kernels(state) : null);
    return new Features(features.trainFeatures(state), features.queryFeatures(state), fit,
        state.inputs(), state.manifest().partitions().values().stream()
            .mapToLong(PartitionStore.Entry::rows).sum());
  }
}
