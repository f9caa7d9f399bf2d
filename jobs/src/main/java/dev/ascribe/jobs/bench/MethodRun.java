package dev.ascribe.jobs.bench;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.attribute.Checkpoint;
import dev.ascribe.core.attribute.FittedAttributor;
import dev.ascribe.core.attribute.InnerProductAttributor;
import dev.ascribe.core.attribute.MethodSpec;
import dev.ascribe.core.attribute.ScoreMatrix;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.AttributeJob;
import dev.ascribe.jobs.pipeline.ModelDirs;
import dev.ascribe.jobs.pipeline.RunFolder;
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
    List<Checkpoint> checkpoints = AttributeJob.ensureModels(config, setting, run, train,
        queries, store);
    double trainSeconds = AttributeJob.since(start);

    long t = System.nanoTime();
    InnerProductAttributor attributor = Methods.attributor(config, checkpoints);
    FittedAttributor fitted = attributor.cache(train);
    double cacheSeconds = AttributeJob.since(t);
    t = System.nanoTime();
    ScoreMatrix scores = fitted.attribute(queries);
    double attributeSeconds = AttributeJob.since(t);

    t = System.nanoTime();
    RunFolder truthRun = new RunFolder(groundTruth);
    String truthPath = truthRun.groundTruth().toString();
    LdsAggregation.Result result = LdsAggregation.evaluate(asRows(spark, scores),
        scores.queryIds(), "in-memory scores of " + spec.method(),
        Tables.readGroundTruth(spark, truthPath), truthPath,
        LdsAggregation.Target.of(config.getString("target")));
    Lds.Result lds = result.lds();
    double evaluateSeconds = AttributeJob.since(t);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("setting", setting.name());
    r.put("method", spec.method());
    Map<String, Object> ldsMap = new LinkedHashMap<>();
    ldsMap.put("mean", lds.summary().mean());
    ldsMap.put("stderr", lds.summary().stdError());
    ldsMap.put("queries", lds.summary().count());
    ldsMap.put("groundtruth_models", result.modelIds().length);
    r.put("lds", ldsMap);
    Map<String, Object> seconds = new LinkedHashMap<>();
    seconds.put("models", trainSeconds);
    seconds.put("cache", cacheSeconds);
    seconds.put("attribute", attributeSeconds);
    seconds.put("method_total", cacheSeconds + attributeSeconds);
    seconds.put("evaluate", evaluateSeconds);
    r.put("seconds", seconds);
    r.put("peak_rss_mib", PeakMemory.peakResidentBytes() / (1024.0 * 1024.0));
    r.put("models", checkpoints.size());
    r.put("hyperparameters", spec.toMap());
    r.put("resolved", fitted.describe());
    Files.createDirectories(out);
    Files.writeString(out.resolve("result.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(r), StandardCharsets.UTF_8);
    Provenance.start("bench method").put("setting", setting.name()).put("method", spec.method())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("groundtruth", truthPath, result.modelIds().length)
        .result("lds", ldsMap).result("seconds", seconds).write(out);
    return r;
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
