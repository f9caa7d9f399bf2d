package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.task.Target;
import com.google.gson.GsonBuilder;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.metric.LdsAggregation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate}: LDS of a run's scores against a ground-truth run (DESIGN.md, Metrics), written
 * to {@code eval/metrics.json}; and the LOO correlation when the ground-truth run holds a LOO table
 * ({@link LooEvaluation}). The full scores stay in Spark: {@link LdsAggregation} sums the
 * M x m predictions per partition. Ground-truth subsets are matched to score rows by example id,
 * and the queries must be the same, in any order.
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  /**
   * Computes the LDS and/or the LOO correlation and writes {@code run}'s {@code eval/metrics.json} and provenance.
   *
   * @return the metrics as written (setting, method, target, lds and/or loo, seconds)
   * @throws IllegalArgumentException if an option is invalid or the tables do not belong
   *     together (other queries or training rows), naming both tables
   */
  public static Map<String, Object> run(JobConfig config, RunFolder run, RunFolder groundTruth,
      SparkSession spark) throws IOException {
    long start = System.nanoTime();
    String target = config.getString("target");
    Methods.spec(config);
    boolean hasLds = ParquetTables.isComplete(spark, groundTruth.groundTruth().toString());
    boolean hasLoo = ParquetTables.isComplete(spark, groundTruth.looGroundTruth().toString());
    if (!hasLds && !hasLoo) {
      throw new IllegalArgumentException("--groundtruth " + groundTruth.root() + " holds no"
          + " complete groundtruth/ (LDS) or groundtruth-loo/ (LOO) table: run 'ascribe"
          + " groundtruth' with groundtruth.kind=lds or loo into it first");
    }
    Map<String, Object> scoreProvenance = Provenance.read(run.scores());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("setting", scoreProvenance == null ? "unknown" : scoreProvenance.get("setting"));
    metrics.put("method", scoreProvenance == null ? "unknown" : scoreProvenance.get("method"));
    metrics.put("target", target);
    Provenance provenance = Provenance.start("evaluate")
        .options(config.explicitOptions(), config.defaultedOptions());
    if (hasLds) {
      LdsAggregation.Result result = LdsAggregation.evaluate(spark, run.fullScores().toString(),
          groundTruth.groundTruth().toString(), Target.parse(target));
      Lds.Result lds = result.lds();
      int models = result.modelIds().length;
      Map<String, Object> ldsMap = new LinkedHashMap<>();
      ldsMap.put("mean", lds.summary().mean());
      ldsMap.put("stderr", lds.summary().stdError());
      ldsMap.put("queries", lds.summary().count());
      ldsMap.put("queries_skipped", lds.summary().skipped());
      ldsMap.put("models", models);
      metrics.put("lds", ldsMap);
      provenance.input("scores", run.fullScores().toString(), result.scoredExamples())
          .input("groundtruth", groundTruth.groundTruth().toString(), models)
          .result("lds", ldsMap);
    }
    if (hasLoo) {
      Map<String, Object> loo = LooEvaluation.run(spark, run, groundTruth, target);
      metrics.put("loo", loo);
      provenance.input("groundtruth-loo", groundTruth.looGroundTruth().toString(),
          ((Number) loo.get("removed")).longValue()).result("loo", loo);
    }
    Map<String, Object> seconds = new LinkedHashMap<>();
    if (scoreProvenance != null && scoreProvenance.get("results") instanceof Map<?, ?> r
        && r.get("seconds") instanceof Map<?, ?> s) {
      s.forEach((k, v) -> seconds.put(String.valueOf(k), v));
    }
    seconds.put("evaluate", AttributeJob.since(start));
    metrics.put("seconds", seconds);
    Files.createDirectories(run.eval().local());
    Path file = run.eval().local().resolve("metrics.json");
    Files.writeString(file, new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(metrics), StandardCharsets.UTF_8);
    provenance.write(run.eval());
    return metrics;
  }
}
