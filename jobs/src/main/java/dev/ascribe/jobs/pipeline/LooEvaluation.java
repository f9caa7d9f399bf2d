package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.metric.LooCorrelation;
import dev.ascribe.core.metric.LooGroundTruth;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.LooGroundTruthTable;
import dev.ascribe.udf.io.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The LOO correlation of a run's full scores against a LOO ground-truth table (DESIGN.md,
 * Metrics). Only the K removed examples' score rows are read from the table.
 */
final class LooEvaluation {
  private LooEvaluation() {}

  /**
   * @param target the scores' target: margin or neg-loss
   * @return mean, stderr, queries, queries_skipped and removed (K), for metrics.json
   * @throws IllegalArgumentException if a removed example has no score row or the queries differ
   */
  static Map<String, Object> run(SparkSession spark, RunFolder run, RunFolder groundTruth,
      String target) {
    String truthPath = groundTruth.looGroundTruth().toString();
    String scoresPath = run.fullScores().toString();
    LooGroundTruth truth = LooGroundTruthTable.read(spark, truthPath);
    FullScores scores = Tables.readScoresFull(spark, scoresPath, truth.removedIds());
    if (scores.exampleIds().length != truth.numRemoved()) {
      throw new IllegalArgumentException("evaluate: the scores " + scoresPath + " have rows for "
          + scores.exampleIds().length + " of the " + truth.numRemoved() + " examples removed by"
          + " " + truthPath + ": score the training rows the ground truth was computed on");
    }
    LooCorrelation.Result result =
        truth.correlate(scores.exampleIds(), scores.queryIds(), scores.scores(), target);
    Map<String, Object> loo = new LinkedHashMap<>();
    loo.put("mean", result.summary().mean());
    loo.put("stderr", result.summary().stdError());
    loo.put("queries", result.summary().count());
    loo.put("queries_skipped", result.summary().skipped());
    loo.put("removed", truth.numRemoved());
    return loo;
  }
}
