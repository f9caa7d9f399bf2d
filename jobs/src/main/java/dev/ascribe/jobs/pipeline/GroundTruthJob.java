package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.train.SubsetRetraining;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.progress.SparkProgress;
import dev.ascribe.udf.groundtruth.GroundTruthTasks;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code groundtruth}: trains {@code groundtruth.models} models on seeded subsets of the training
 * rows, one Spark task each ({@link GroundTruthTasks}; each model depends only on its index), and
 * writes every query's log p_y and margin under each as the ground-truth table of a run folder.
 * The rows go from the tasks to the Parquet writer; nothing is collected on the driver.
 */
public final class GroundTruthJob {
  private static final Logger LOG = LoggerFactory.getLogger(GroundTruthJob.class);

  private GroundTruthJob() {}

  /** The retraining recipe of a configuration. */
  public static SubsetRetraining retraining(JobConfig config, Setting setting) {
    return new SubsetRetraining(setting.spec(), setting.trainingRun().options(),
        config.getInt("groundtruth.models"), config.getDouble("groundtruth.alpha"),
        config.getLong("groundtruth.seed"));
  }

  /**
   * Trains the subset models on {@code spark}'s executors and writes {@code run}'s ground-truth
   * table (one Parquet file, M x m rows) with its provenance.
   *
   * @throws IllegalArgumentException if the table exists and {@code overwrite} is false (checked
   *     before any training), or the options are invalid
   */
  public static void run(JobConfig config, Setting setting, RunFolder run, SparkSession spark)
      throws IOException {
    SubsetRetraining retraining = retraining(config, setting);
    boolean overwrite = Boolean.parseBoolean(config.getString("overwrite"));
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();
    long start = System.nanoTime();
    // One file: the table is small (M x m rows), and range-partitioning into several files would
    // sample the lazy rows first, which trains every model twice.
    try (SparkProgress.Label progress = SparkProgress.stage(spark, "groundtruth")) {
      ParquetTables.write(GroundTruthTasks.run(spark, retraining, train, queries),
          TableFormat.GROUND_TRUTH, run.groundTruth().toString(), overwrite, 1);
    }
    double seconds = AttributeJob.since(start);
    int m = retraining.models();
    Provenance.start("groundtruth").put("setting", setting.name()).put("seed", retraining.seed())
        .put("models", m).put("alpha", retraining.alpha())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("queries", queries.name(),
            queries.size())
        .result("seconds", seconds).write(run.groundTruth());
    LOG.info("groundtruth: {} subset models trained in {} s", m, String.format("%.1f", seconds));
  }
}
