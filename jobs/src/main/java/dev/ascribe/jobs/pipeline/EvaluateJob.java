package dev.ascribe.jobs.pipeline;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate}: LDS of a run's scores against a ground-truth run (DESIGN.md, Metrics), written
 * to {@code eval/metrics.json}. Ground-truth subsets are matched to score rows by example id, and
 * the queries must be the same, in any order.
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  public static Map<String, Object> run(JobConfig config, RunFolder run, RunFolder groundTruth,
      SparkSession spark) throws IOException {
    long start = System.nanoTime();
    String target = config.getString("target");
    Methods.spec(config);
    FullScores scores = Tables.readScoresFull(spark, run.fullScores().toString());
    GroundTruth truth = Tables.readGroundTruth(spark, groundTruth.groundTruth().toString());
    int[] queryColumn = matchQueries(scores, truth, run, groundTruth);
    Map<Long, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < scores.exampleIds().length; i++) {
      rowOf.put(scores.exampleIds()[i], i);
    }
    int models = truth.modelIds().length;
    int[][] subsets = new int[models][];
    double[][] y = new double[models][];
    for (int j = 0; j < models; j++) {
      subsets[j] = new int[truth.subsets()[j].length];
      for (int s = 0; s < subsets[j].length; s++) {
        Integer row = rowOf.get(truth.subsets()[j][s]);
        if (row == null) {
          throw new IllegalArgumentException("ground truth " + groundTruth.groundTruth()
              + ": model " + truth.modelIds()[j] + " was trained on example "
              + truth.subsets()[j][s] + ", which " + run.fullScores() + " does not score: the"
              + " two runs use different training rows (check data.train)");
        }
        subsets[j][s] = row;
      }
      double[] values = target.equals("margin") ? truth.margin()[j] : truth.logp()[j];
      y[j] = new double[queryColumn.length];
      for (int q = 0; q < queryColumn.length; q++) {
        y[j][q] = values[queryColumn[q]];
      }
    }
    Lds.Result lds = Lds.evaluate(scores.scores(), subsets, y);
    Map<String, Object> scoreProvenance = Provenance.read(run.scores());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("setting", scoreProvenance == null ? "unknown" : scoreProvenance.get("setting"));
    metrics.put("method", scoreProvenance == null ? "unknown" : scoreProvenance.get("method"));
    metrics.put("target", target);
    Map<String, Object> ldsMap = new LinkedHashMap<>();
    ldsMap.put("mean", lds.summary().mean());
    ldsMap.put("stderr", lds.summary().stdError());
    ldsMap.put("queries", lds.summary().count());
    ldsMap.put("queries_skipped", lds.summary().skipped());
    ldsMap.put("models", models);
    metrics.put("lds", ldsMap);
    Map<String, Object> seconds = new LinkedHashMap<>();
    if (scoreProvenance != null && scoreProvenance.get("results") instanceof Map<?, ?> r
        && r.get("seconds") instanceof Map<?, ?> s) {
      s.forEach((k, v) -> seconds.put(String.valueOf(k), v));
    }
    seconds.put("evaluate", AttributeJob.since(start));
    metrics.put("seconds", seconds);
    Files.createDirectories(run.eval());
    Path file = run.eval().resolve("metrics.json");
    Files.writeString(file, new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(metrics), StandardCharsets.UTF_8);
    Provenance.start("evaluate").options(config.explicitOptions(), config.defaultedOptions())
        .input("scores", run.fullScores().toString(), scores.exampleIds().length)
        .input("groundtruth", groundTruth.groundTruth().toString(), models)
        .result("lds", ldsMap).write(run.eval());
    return metrics;
  }

  /** For each score column, the ground-truth column of the same query. */
  private static int[] matchQueries(FullScores scores, GroundTruth truth, RunFolder run,
      RunFolder groundTruth) {
    Map<Long, Integer> columnOf = new HashMap<>();
    for (int q = 0; q < truth.queryIds().length; q++) {
      columnOf.put(truth.queryIds()[q], q);
    }
    int[] match = new int[scores.queryIds().length];
    for (int q = 0; q < match.length; q++) {
      Integer column = columnOf.get(scores.queryIds()[q]);
      if (column == null) {
        throw new IllegalArgumentException("scores " + run.fullScores() + " include query "
            + scores.queryIds()[q] + ", which ground truth " + groundTruth.groundTruth()
            + " does not evaluate (its queries: " + Arrays.toString(Arrays.copyOf(
                truth.queryIds(), Math.min(5, truth.queryIds().length))) + "...): check"
            + " data.queries");
      }
      match[q] = column;
    }
    return match;
  }
}
