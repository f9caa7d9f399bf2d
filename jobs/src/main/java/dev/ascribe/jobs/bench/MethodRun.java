package dev.ascribe.jobs.bench;

import dev.ascribe.core.task.Target;
import com.google.gson.GsonBuilder;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.FittedAttributor;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.LabelFlip;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.metric.LooCorrelation;
import dev.ascribe.core.metric.LooGroundTruth;
import dev.ascribe.core.metric.NoisyLabelAuc;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.AttributeJob;
import dev.ascribe.jobs.pipeline.ModelDirs;
import dev.ascribe.jobs.pipeline.ModelTraining;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.udf.io.LooGroundTruthTable;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.metric.LdsAggregation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One method on one setting, in memory (the {@code Attributor} API: cache, then attribute), scored
 * against the LDS ground truth by the same aggregation {@code evaluate} uses. Writes
 * {@code result.json}: LDS, seconds per step, peak resident memory and the resolved
 * hyperparameters. Run in its own JVM by the suite so that peak memory is the method's own.
 */
public final class MethodRun {
  private MethodRun() {}

  /** Runs the method of {@code config} and writes {@code out/result.json}; returns the result. */
  public static Map<String, Object> run(JobConfig config, Setting setting, Path out,
      Path groundTruth, SparkSession spark) throws IOException {
    long start = System.nanoTime();
    MethodSpec spec = Methods.spec(config);
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();
    RunFolder run = new RunFolder(out);
    ModelStore store = ModelDirs.store(config.getString("models.dir"), run, spark,
        setting.models());
    ModelTraining.requireReusable(config, setting, store, train);
    List<Checkpoint> checkpoints = AttributeJob.ensureModels(config, setting, run, train,
        queries, store);
    double trainSeconds = AttributeJob.since(start);

    Attributed attributed = attribute(config, checkpoints, train, queries);
    ScoreMatrix scores = attributed.scores();
    double cacheSeconds = attributed.cacheSeconds();
    double attributeSeconds = attributed.attributeSeconds();

    long t = System.nanoTime();
    RunFolder truthRun = new RunFolder(groundTruth);
    String truthPath = truthRun.groundTruth().toString();
    LdsAggregation.Result result = LdsAggregation.evaluate(asRows(spark, scores),
        scores.queryIds(), "in-memory scores of " + spec.method(),
        Tables.readGroundTruth(spark, truthPath), truthPath,
        Target.parse(config.getString("target")));
    Lds.Result lds = result.lds();
    double evaluateSeconds = AttributeJob.since(t);
    Map<String, Object> loo = loo(config, spark, truthRun, scores);
    t = System.nanoTime();
    Map<String, Object> auc = noisyLabelAuc(config, setting, groundTruth, queries, spark);
    double aucSeconds = AttributeJob.since(t);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("setting", setting.name());
    r.put("method", spec.method());
    Map<String, Object> ldsMap = new LinkedHashMap<>();
    ldsMap.put("mean", lds.summary().mean());
    ldsMap.put("stderr", lds.summary().stdError());
    ldsMap.put("queries", lds.summary().count());
    ldsMap.put("groundtruth_models", result.modelIds().length);
    r.put("lds", ldsMap);
    r.put("loo", loo);
    r.put("noisy_label_auc", auc);
    Map<String, Object> seconds = new LinkedHashMap<>();
    seconds.put("models", trainSeconds);
    seconds.put("cache", cacheSeconds);
    seconds.put("attribute", attributeSeconds);
    seconds.put("method_total", cacheSeconds + attributeSeconds);
    seconds.put("evaluate", evaluateSeconds);
    seconds.put("noisy_label_auc", aucSeconds);
    r.put("seconds", seconds);
    r.put("peak_rss_mib", PeakMemory.peakResidentBytes() / (1024.0 * 1024.0));
    r.put("models", checkpoints.size());
    r.put("hyperparameters", spec.toMap());
    r.put("resolved", attributed.resolved());
    Files.createDirectories(out);
    Files.writeString(out.resolve("result.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(r), StandardCharsets.UTF_8);
    Provenance.start("bench method").put("setting", setting.name()).put("method", spec.method())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("groundtruth", truthPath, result.modelIds().length)
        .result("lds", ldsMap).result("seconds", seconds).write(out);
    return r;
  }

  /** The scores of the in-memory method, its resolved settings and the seconds of its steps. */
  private record Attributed(ScoreMatrix scores, Map<String, Object> resolved,
      double cacheSeconds, double attributeSeconds) {}

  /**
   * Caches the training side and scores the queries. Its own method so that the cached state
   * (training features, a Hessian factor: 493 MB for MNIST-LR's explicit IF) is unreachable once
   * the scores are made, before the noisy-label step caches a second one (README, memory budget).
   */
  private static Attributed attribute(JobConfig config, List<Checkpoint> checkpoints,
      Dataset train, Dataset queries) {
    long t = System.nanoTime();
    InnerProductAttributor attributor = Methods.attributor(config, checkpoints);
    FittedAttributor fitted = attributor.cache(train);
    double cacheSeconds = AttributeJob.since(t);
    t = System.nanoTime();
    ScoreMatrix scores = fitted.attribute(queries);
    double attributeSeconds = AttributeJob.since(t);
    return new Attributed(scores, fitted.describe(), cacheSeconds, attributeSeconds);
  }

  /** LOO correlation when the ground-truth folder holds LOO ground truth and bench.loo is on. */
  private static Map<String, Object> loo(JobConfig config, SparkSession spark,
      RunFolder truthRun, ScoreMatrix scores) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!Boolean.parseBoolean(config.getString("bench.loo"))) {
      m.put("status", "off (bench.loo = false)");
      return m;
    }
    if (!Files.exists(truthRun.looGroundTruth().local().resolve("_SUCCESS"))) {
      m.put("status", "no LOO ground truth in " + truthRun.root());
      return m;
    }
    LooGroundTruth truth = LooGroundTruthTable.read(spark, truthRun.looGroundTruth().toString());
    LooCorrelation.Result r = truth.correlate(scores.trainIds(), scores.queryIds(),
        scores.toRows(), config.getString("target"));
    m.put("mean", r.summary().mean());
    m.put("stderr", r.summary().stdError());
    m.put("queries", r.summary().count());
    m.put("removed", truth.numRemoved());
    return m;
  }

  /**
   * Noisy-label detection AUC (DESIGN.md): models trained on flipped labels (shared by every
   * method of the setting, under the ground-truth folder), self-influence of every training
   * example with the loss on both sides, ROC AUC against the flip mask.
   */
  private static Map<String, Object> noisyLabelAuc(JobConfig config, Setting setting,
      Path shared, Dataset queries, SparkSession spark) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!Boolean.parseBoolean(config.getString("bench.auc"))) {
      m.put("status", "off (bench.auc = false)");
      return m;
    }
    LabelFlip flip = LabelFlip.of(setting.trainData(), config.getDouble("noisy.fraction"),
        config.getLong("noisy.seed"));
    RunFolder noisy = new RunFolder(shared.resolve("noisy-" + flip.seed() + "-"
        + flip.count()));
    ModelStore store = new ModelStore(noisy.models());
    List<Checkpoint> checkpoints = AttributeJob.ensureModels(config, setting, noisy,
        flip.data(), queries, store);
    InnerProductAttributor attributor = Methods.attributor(config, checkpoints);
    float[] self = attributor.cache(flip.data()).selfInfluence();
    NoisyLabelAuc.Result r = NoisyLabelAuc.evaluate(self, flip.flipped());
    m.put("auc", r.auc());
    m.put("flipped", r.flipped());
    m.put("examples", r.examples());
    m.put("top_precision", r.topPrecision());
    return m;
  }

  /** The score matrix as (example_id, scores) rows, the full-scores layout. */
  private static org.apache.spark.sql.Dataset<Row> asRows(SparkSession spark, ScoreMatrix s) {
    List<Row> rows = new ArrayList<>();
    int m = s.queryIds().length;
    for (int i = 0; i < s.trainIds().length; i++) {
      Float[] row = new Float[m];
      for (int q = 0; q < m; q++) {
        row[q] = s.get(i, q);
      }
      rows.add(RowFactory.create(s.trainId(i), java.util.Arrays.asList(row)));
    }
    return spark.createDataFrame(rows,
        dev.ascribe.udf.io.TableFormat.SCORES_FULL.schema());
  }
}
