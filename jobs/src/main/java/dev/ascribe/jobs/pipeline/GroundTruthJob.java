package dev.ascribe.jobs.pipeline;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.train.SubsetRetraining;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code groundtruth}: trains {@code groundtruth.models} models on seeded subsets of the training
 * rows (one thread each; each model depends only on its index) and records every query's log p_y
 * and margin under each, as the ground-truth table of a run folder.
 */
public final class GroundTruthJob {
  private static final Logger LOG = LoggerFactory.getLogger(GroundTruthJob.class);

  private GroundTruthJob() {}

  /** The retraining recipe of a configuration. */
  public static SubsetRetraining retraining(JobConfig config, Setting setting) {
    return new SubsetRetraining(setting.architecture(), setting.trainingRun().options(),
        config.getInt("groundtruth.models"), config.getDouble("groundtruth.alpha"),
        config.getLong("groundtruth.seed"));
  }

  public static GroundTruth run(JobConfig config, Setting setting, RunFolder run,
      SparkSession spark) throws IOException {
    SubsetRetraining retraining = retraining(config, setting);
    boolean overwrite = Boolean.parseBoolean(config.getString("overwrite"));
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();
    long start = System.nanoTime();
    List<SubsetRetraining.Outcome> outcomes = trainAll(retraining, train, queries);
    double seconds = AttributeJob.since(start);
    int m = retraining.models();
    int[] ids = new int[m];
    long[][] subsets = new long[m][];
    double[][] logp = new double[m][];
    double[][] margin = new double[m][];
    for (int j = 0; j < m; j++) {
      SubsetRetraining.Outcome o = outcomes.get(j);
      ids[j] = o.modelId();
      subsets[j] = o.subsetIds();
      logp[j] = o.logp();
      margin[j] = o.margin();
    }
    GroundTruth table = new GroundTruth(ids, subsets, queries.ids(), logp, margin);
    Tables.writeGroundTruth(spark, table, run.groundTruth().toString(), overwrite);
    Provenance.start("groundtruth").put("setting", setting.name()).put("seed", retraining.seed())
        .put("models", m).put("alpha", retraining.alpha())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("queries", queries.name(),
            queries.size())
        .result("seconds", seconds).write(run.groundTruth());
    LOG.info("groundtruth: {} subset models trained in {} s", m, String.format("%.1f", seconds));
    return table;
  }

  private static List<SubsetRetraining.Outcome> trainAll(SubsetRetraining retraining,
      Dataset train, Dataset queries) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      return IndexedTasks.run(retraining.models(), IndexedTasks.defaultThreads(),
          j -> retraining.trainOne(j, train, queries, manager));
    }
  }
}
