package dev.ascribe.jobs.pipeline;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.LabelFlip;
import dev.ascribe.core.metric.NoisyLabelAuc;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code noisy-labels} (DESIGN.md, Metrics, noisy-label AUC): flips {@code noisy.fraction} of the
 * training labels ({@link LabelFlip}), trains the run's own models on the flipped data, computes
 * every training example's self-influence with the loss on both sides on Spark ({@link
 * SparkAttribution#selfInfluence}: one value per example, never an n x n matrix), and writes the
 * ROC AUC of self-influence against the flip mask to {@code eval/metrics.json}.
 */
public final class NoisyLabelJob {
  private static final Logger LOG = LoggerFactory.getLogger(NoisyLabelJob.class);

  private NoisyLabelJob() {}

  /**
   * The label flip of a configuration, validated before any work starts.
   *
   * @throws IllegalArgumentException naming the option if the fraction or models.dir is invalid
   */
  public static LabelFlip flip(JobConfig config, Setting setting) throws IOException {
    if (!config.getString("models.dir").isEmpty()) {
      throw config.invalid("models.dir", "empty: noisy-labels trains its own models on the"
          + " flipped labels into --out/models, never reusing models trained on clean labels");
    }
    if (config.getInt("data.scored.count") != 0 || !config.getString("data.scored.path")
        .isEmpty()) {
      throw config.invalid("data.scored.count", "0 and data.scored.path empty: noisy-labels"
          + " scores exactly the (flipped) training rows");
    }
    return LabelFlip.of(setting.trainData(), config.getDouble("noisy.fraction"),
        config.getLong("noisy.seed"));
  }

  /**
   * Runs the job and writes {@code run}'s models, features, self-influence and metrics.
   *
   * @return the metrics as written
   * @throws IllegalArgumentException for invalid options, or outputs that exist without
   *     {@code overwrite} (checked before training)
   */
  public static Map<String, Object> run(JobConfig config, Setting setting, RunFolder run,
      SparkSession spark) throws IOException {
    MethodSpec spec = Methods.spec(config);
    LabelFlip flip = flip(config, setting);
    boolean overwrite = Boolean.parseBoolean(config.getString("overwrite"));
    String featuresPath = run.trainFeatures().toString();
    String selfPath = run.selfInfluence().toString();
    ParquetTables.requireWritable(spark, featuresPath, overwrite);
    ParquetTables.requireWritable(spark, selfPath, overwrite);
    Dataset train = flip.data();
    Dataset queries = setting.queryData();
    Map<String, Double> seconds = new LinkedHashMap<>();

    long t = System.nanoTime();
    ModelStore store = new ModelStore(run.models());
    List<Checkpoint> checkpoints =
        AttributeJob.ensureModels(config, setting, run, train, queries, store);
    seconds.put("train", AttributeJob.since(t));

    t = System.nanoTime();
    SparkAttribution attribution =
        new SparkAttribution(spark, spec, checkpoints, setting.spec().numClasses());
    var trainingRows = InputSources.of(spark, train, setting.partitions());
    ParquetTables.writePartitioned(attribution.featurize(trainingRows, false, train.name()),
        TableFormat.FEATURES, featuresPath, overwrite);
    var features = ParquetTables.read(spark, TableFormat.FEATURES, featuresPath);
    seconds.put("featurize", AttributeJob.since(t));
    t = System.nanoTime();
    try (TrainingBlocks blocks = attribution.decode(features)) {
      List<Preconditioner> kernels = attribution.preconditioners(blocks,
          new SparkAttribution.TrainingRows(trainingRows, train.name()), train);
      seconds.put("kernel", AttributeJob.since(t));
      t = System.nanoTime();
      var selfInfluence = attribution.selfInfluence(blocks, kernels);
      ParquetTables.writePartitioned(selfInfluence, TableFormat.SELF_INFLUENCE, selfPath,
          overwrite);
      selfInfluence.unpersist();
    }
    double[] values = collect(spark, selfPath, train);
    seconds.put("self_influence", AttributeJob.since(t));

    NoisyLabelAuc.Result auc = NoisyLabelAuc.evaluate(values, flip.flipped());
    Map<String, Object> metrics = metrics(setting, spec, checkpoints.size(), flip, auc, seconds);
    Path eval = run.eval().local();
    Files.createDirectories(eval);
    Files.writeString(eval.resolve("metrics.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(metrics), StandardCharsets.UTF_8);
    Provenance.start("noisy-labels").put("setting", setting.name()).put("method", spec.method())
        .put("seed", setting.seed()).put("noisy_seed", flip.seed())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("self_influence", selfPath,
            values.length)
        .result("noisy_auc", metrics.get("noisy_auc")).result("seconds", seconds)
        .write(run.eval());
    LOG.info("noisy-labels: {} AUC {} ({} of {} labels flipped)", spec.method(),
        String.format("%.4f", auc.auc()), flip.count(), train.size());
    return metrics;
  }

  /** Self-influence in the training rows' order (n values: small beside the features). */
  private static double[] collect(SparkSession spark, String path, Dataset train) {
    Map<Long, Double> byId = new HashMap<>();
    for (Row r : ParquetTables.read(spark, TableFormat.SELF_INFLUENCE, path)
        .select(Columns.EXAMPLE_ID, Columns.SELF_INFLUENCE).collectAsList()) {
      byId.put(r.getLong(0), r.getDouble(1));
    }
    double[] values = new double[train.size()];
    for (int i = 0; i < values.length; i++) {
      Double v = byId.get(train.id(i));
      if (v == null) {
        throw new IllegalStateException(path + " has no self-influence for example_id="
            + train.id(i) + ": the table was not written from these training rows");
      }
      values[i] = v;
    }
    return values;
  }

  private static Map<String, Object> metrics(Setting setting, MethodSpec spec, int models,
      LabelFlip flip, NoisyLabelAuc.Result auc, Map<String, Double> seconds) {
    Map<String, Object> noisy = new LinkedHashMap<>();
    noisy.put("auc", auc.auc());
    noisy.put("top_precision", auc.topPrecision());
    noisy.put("flipped", auc.flipped());
    noisy.put("examples", auc.examples());
    noisy.put("fraction", flip.fraction());
    noisy.put("flip_seed", flip.seed());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("setting", setting.name());
    metrics.put("method", spec.method());
    metrics.put("models", models);
    metrics.put("lambda", spec.lambdaSpec().toString());
    metrics.put("noisy_auc", noisy);
    metrics.put("seconds", seconds);
    return metrics;
  }
}
