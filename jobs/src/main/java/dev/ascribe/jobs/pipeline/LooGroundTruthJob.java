package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.train.LooRetraining;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.groundtruth.LooTasks;
import dev.ascribe.udf.io.LooGroundTruthTable;
import dev.ascribe.udf.io.ParquetTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code groundtruth} with {@code groundtruth.kind=loo}: the full model (model 0's seed, as
 * {@link ModelTraining} derives it) and {@code groundtruth.loo.count} leave-one-out models, one
 * Spark task each ({@link LooTasks}), written as the LOO ground-truth table of a run folder.
 * When {@code models.dir} holds a model 0, the retrained full model is checked to be bit-identical
 * to it, so the LOO differences belong to the model the scores explain.
 */
public final class LooGroundTruthJob {
  private static final Logger LOG = LoggerFactory.getLogger(LooGroundTruthJob.class);

  private LooGroundTruthJob() {}

  /**
   * Whether the configuration asks for LOO ground truth ({@code groundtruth.kind}).
   *
   * @throws IllegalArgumentException unless the kind is lds or loo
   */
  public static boolean isLoo(JobConfig config) {
    String kind = config.getString("groundtruth.kind");
    if (!kind.equals("lds") && !kind.equals("loo")) {
      throw config.invalid("groundtruth.kind", "expected lds or loo");
    }
    return kind.equals("loo");
  }

  /** The LOO recipe of a configuration, validated before any work starts. */
  public static LooRetraining retraining(JobConfig config, Setting setting) throws IOException {
    LooRetraining retraining = new LooRetraining(setting.spec(),
        setting.trainingRun().options(), setting.trainingRun().modelSeed(0),
        config.getInt("groundtruth.loo.count"), config.getLong("groundtruth.loo.seed"));
    retraining.removedRows(setting.trainData().size());
    return retraining;
  }

  /**
   * Trains the full and LOO models on {@code spark}'s executors and writes {@code run}'s LOO
   * ground-truth table (one Parquet file, K x m rows) with its provenance.
   *
   * @throws IllegalArgumentException if the table exists and {@code overwrite} is false (checked
   *     before any training), or the options are invalid
   */
  public static void run(JobConfig config, Setting setting, RunFolder run, SparkSession spark)
      throws IOException {
    LooRetraining retraining = retraining(config, setting);
    boolean overwrite = Boolean.parseBoolean(config.getString("overwrite"));
    String path = run.looGroundTruth().toString();
    ParquetTables.requireWritable(spark, path, overwrite);
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();
    long start = System.nanoTime();
    LooRetraining.Result result = LooTasks.run(spark, retraining, train, queries);
    LooGroundTruthTable.write(spark, result.truth(), path, overwrite);
    double seconds = AttributeJob.since(start);
    Map<String, Object> fullModel = checkFullModel(config.getString("models.dir"), retraining,
        train, result.fullParametersSha256());
    Provenance.start("groundtruth").put("setting", setting.name()).put("kind", "loo")
        .put("seed", retraining.seed()).put("removed_count", retraining.count())
        .put("removed_ids", Arrays.stream(result.truth().removedIds()).boxed().toList())
        .put("full_model", fullModel)
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("queries", queries.name(),
            queries.size())
        .result("seconds", seconds).write(run.looGroundTruth());
    LOG.info("groundtruth: full model and {} LOO models trained in {} s", retraining.count(),
        String.format("%.1f", seconds));
  }

  /**
   * The full model's seed and hash, compared with model 0 of {@code modelsDir} when there is
   * one: a retrained full model must be bit-identical to the stored one it reproduces.
   */
  private static Map<String, Object> checkFullModel(String modelsDir, LooRetraining retraining,
      Dataset train, String sha256) throws IOException {
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("seed", Long.toString(retraining.modelSeed()));
    check.put("sha256", sha256);
    ModelRecord stored = modelsDir.isEmpty() ? null
        : new ModelStore(Path.of(modelsDir)).readDescription(0);
    if (stored == null) {
      check.put("model_0", "none given (models.dir)");
      return check;
    }
    String storedSha = stored.epochHashes().get(stored.finalEpoch());
    boolean sameRecipe = stored.seed() == retraining.modelSeed()
        && stored.trainData().equals(train.name())
        && stored.spec().equals(retraining.arch())
        && stored.finalEpoch() == retraining.options().epochs();
    check.put("model_0", Path.of(modelsDir).resolve("m0").toString());
    check.put("model_0_sha256", storedSha);
    check.put("identical_to_model_0", storedSha.equals(sha256));
    if (!storedSha.equals(sha256)) {
      LOG.warn("groundtruth: the retrained full model (sha256 {}) differs from {} m0 ({}){}",
          sha256, modelsDir, storedSha, sameRecipe ? " although seed, data and architecture"
              + " agree: training is not reproducible here" : ": it was trained otherwise");
    } else {
      LOG.info("groundtruth: the retrained full model is bit-identical to {} m0", modelsDir);
    }
    return check;
  }
}
