package dev.ascribe.udf.metric;

import dev.ascribe.core.task.Target;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.InvalidTableException;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * LDS (DESIGN.md, Metrics; {@link Lds}) of a full score matrix stored as a Spark table, without
 * collecting the n x m scores: each partition sums its rows into the M x m predictions ĝ_j(q) =
 * Σ_{i ∈ S_j} τ(q, i), the partial sums are added up in partition order ({@link OrderedSum}),
 * and only the M x m predictions reach the driver.
 *
 * <p>The ground-truth subsets go to the executors as one broadcast {@link SubsetMembership} (the
 * example ids of all subsets, compressed). Subsets are matched to score rows by example id, and
 * score columns to ground-truth columns by query id, so either table may be in any order. Every
 * example of every subset must be scored, and every scored query must be in the ground truth
 * (ground-truth queries that were not scored are ignored).
 *
 * <p>Determinism: within a partition the sum runs in row order and partitions are added in a
 * fixed tree over partition indices, so a rerun on the same files is bit-identical; another
 * partitioning differs only by summation order (relative differences near 1e-16).
 */
public final class LdsAggregation {
  private LdsAggregation() {}

  /**
   * The ground truth of {@code target} (DESIGN.md, Metrics: Targets), {@code [model][ground-truth
   * query]}: the {@code margin} column for TRAK's margin, the {@code logp} column (log p_y) for
   * dattri's negated loss.
   */
  static double[][] truthOf(Target target, GroundTruth truth) {
    return target == Target.MARGIN ? truth.margin() : truth.logp();
  }

  /**
   * The LDS and what it was computed from.
   *
   * @param lds per-query LDS (in the scores' query order), summary, and predictions ĝ, M x m
   *     {@code [model][query]} (models in ground-truth order, queries in the scores' order)
   * @param scoredExamples n, the number of rows of the scores table
   * @param modelIds the ground-truth model ids, length M (row order of the predictions)
   * @param queryIds the scores' query ids, length m (column order of the predictions)
   */
  public record Result(Lds.Result lds, long scoredExamples, int[] modelIds, long[] queryIds) {}

  /**
   * Reads the full scores table at {@code scoresPath} (checked, not collected) and the ground
   * truth at {@code groundTruthPath} (collected: M x m values and one subset per model), then
   * computes the LDS as {@link #evaluate(Dataset, long[], String, GroundTruth, String, Target)}.
   *
   * @throws InvalidTableException if a table is missing, incomplete or malformed
   * @throws IllegalArgumentException if the tables do not belong together (see the other
   *     overload)
   */
  public static Result evaluate(SparkSession spark, String scoresPath, String groundTruthPath,
      Target target) {
    long[] queryOrder = Tables.readQueryOrder(spark, scoresPath);
    Dataset<Row> scores = ParquetTables.read(spark, TableFormat.SCORES_FULL, scoresPath);
    GroundTruth truth = Tables.readGroundTruth(spark, groundTruthPath);
    return evaluate(scores, queryOrder, scoresPath, truth, groundTruthPath, target);
  }

  /**
   * LDS of a full score matrix given as rows.
   *
   * @param scores rows with example_id bigint and scores array&lt;float&gt; (other columns are
   *     ignored): one row per training example, {@code scores[q]} its score for query {@code
   *     queryOrder[q]} (rows = training examples, columns = queries, positive = helpful)
   * @param queryOrder the query id of each score position, length m
   * @param scoresPath the scores table's path or name, for messages
   * @param truth the ground truth: M ≥ 2 models with their subsets (training example ids) and
   *     their outputs on the queries
   * @param groundTruthPath the ground truth's path or name, for messages
   * @param target which ground-truth output to correlate with
   * @throws IllegalArgumentException if a scored query is not in the ground truth, an example
   *     of a subset is not scored, there are fewer than 2 models, or a value is not finite
   * @throws InvalidTableException if a score row is malformed (a null, a wrong number of
   *     scores, an example scored twice)
   */
  public static Result evaluate(Dataset<Row> scores, long[] queryOrder, String scoresPath,
      GroundTruth truth, String groundTruthPath, Target target) {
    Objects.requireNonNull(target, "target");
    int models = truth.modelIds().length;
    if (models < 2) {
      throw new IllegalArgumentException("ground truth " + groundTruthPath + " has " + models
          + " model(s): LDS needs at least 2 to rank; rerun groundtruth with"
          + " groundtruth.models >= 2 (DESIGN.md uses 50)");
    }
    int[] truthColumn = matchQueries(queryOrder, truth.queryIds(), scoresPath, groundTruthPath);
    int m = queryOrder.length;
    double[][] values = truthOf(target, truth);
    double[][] y = new double[models][m];
    for (int j = 0; j < models; j++) {
      for (int q = 0; q < m; q++) {
        y[j][q] = values[j][truthColumn[q]];
      }
    }
    Dataset<Row> rows = TableFormat.SCORES_FULL.conform(scores, scoresPath);
    SubsetMembership members =
        SubsetMembership.of(truth.subsets(), truth.modelIds(), groundTruthPath);
    double[] total = sum(rows, members, m, scoresPath);
    long[] matched = new long[models];
    for (int j = 0; j < models; j++) {
      matched[j] = (long) total[PredictionSums.matchedAt(models, m, j)];
    }
    checkEveryExampleScored(rows, truth, members, matched, scoresPath, groundTruthPath);
    double[][] predictions = new double[models][];
    for (int j = 0; j < models; j++) {
      predictions[j] = Arrays.copyOfRange(total, j * m, (j + 1) * m);
    }
    Lds.Result lds = Lds.fromPredictions(predictions, y);
    long n = (long) total[PredictionSums.rowsAt(models, m)];
    return new Result(lds, n, truth.modelIds().clone(), queryOrder.clone());
  }

  /** One pass over the rows: the partial sums of every partition, added in partition order. */
  private static double[] sum(Dataset<Row> rows, SubsetMembership members, int m, String path) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    Broadcast<SubsetMembership> broadcast = jsc.broadcast(members);
    try {
      JavaRDD<Row> rdd = rows.javaRDD();
      JavaPairRDD<Integer, double[]> partials = rdd
          .mapPartitionsWithIndex(new PredictionSums(broadcast, m, rows.schema(), path), true)
          .mapToPair(t -> t);
      return OrderedSum.sum(partials, rdd.getNumPartitions(),
          PredictionSums.length(members.numSubsets(), m));
    } catch (Exception e) { // Spark rethrows its checked SparkException undeclared
      throw tableProblemOr(e, path);
    } finally {
      broadcast.destroy();
    }
  }

  /**
   * A malformed row fails its task, and Spark rethrows the failure wrapped in its own exception:
   * give the caller the table problem itself, whose message names the table and the row.
   */
  private static RuntimeException tableProblemOr(Exception e, String path) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InvalidTableException table) {
        return new InvalidTableException(table.path(),
            table.getMessage().substring(table.path().length() + 2), e);
      }
    }
    return e instanceof RuntimeException r ? r
        : new IllegalStateException("LDS: the Spark job summing " + path + " failed: "
            + e.getMessage(), e);
  }

  /** For each score column q, the ground-truth column of the same query. */
  private static int[] matchQueries(long[] queryOrder, long[] truthQueries, String scoresPath,
      String groundTruthPath) {
    Map<Long, Integer> columnOf = new HashMap<>();
    for (int q = 0; q < truthQueries.length; q++) {
      columnOf.put(truthQueries[q], q);
    }
    int[] match = new int[queryOrder.length];
    for (int q = 0; q < match.length; q++) {
      Integer column = columnOf.get(queryOrder[q]);
      if (column == null) {
        throw new IllegalArgumentException("scores " + scoresPath + " include query "
            + queryOrder[q] + ", which ground truth " + groundTruthPath + " does not evaluate"
            + " (its queries: " + Arrays.toString(Arrays.copyOf(truthQueries,
                Math.min(5, truthQueries.length))) + "...): check data.queries");
      }
      match[q] = column;
    }
    return match;
  }

  /**
   * Checks that each subset's examples were all scored, once. Only on a mismatch are the n
   * example ids collected (n longs), to name the first missing or repeated one.
   */
  private static void checkEveryExampleScored(Dataset<Row> rows, GroundTruth truth,
      SubsetMembership members, long[] matched, String scoresPath, String groundTruthPath) {
    for (int j = 0; j < matched.length; j++) {
      if (matched[j] == members.size(j)) {
        continue;
      }
      long[] scored = rows.select(Columns.EXAMPLE_ID).as(Encoders.LONG()).collectAsList()
          .stream().mapToLong(Long::longValue).sorted().toArray();
      for (long id : truth.subsets()[j]) {
        int at = Arrays.binarySearch(scored, id);
        if (at < 0) {
          throw new IllegalArgumentException("ground truth " + groundTruthPath + ": model "
              + truth.modelIds()[j] + " was trained on example " + id + ", which " + scoresPath
              + " does not score: the two runs use different training rows (check data.train)");
        }
        if ((at > 0 && scored[at - 1] == id)
            || (at + 1 < scored.length && scored[at + 1] == id)) {
          throw new InvalidTableException(scoresPath, "example_id=" + id + " occurs on more"
              + " than one row: expected one row per training example; rewrite the table");
        }
      }
      throw new IllegalStateException("model " + truth.modelIds()[j] + ": " + matched[j]
          + " scored rows matched its subset of " + members.size(j)
          + " examples, but no example is missing or repeated");
    }
  }
}
