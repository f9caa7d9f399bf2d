package dev.ascribe.udf.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.udf.SharedSpark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tracin, grad-cos, rps, logra, if-kfac and if-ekfac, and the projected methods with a sparse
 * projection, on Spark against the in-memory API (DESIGN.md's tolerance): scores and
 * self-influence, over features (and K-FAC's input rows) spread across 3 partitions.
 */
class SparkMethodsTest {
  private static final Dataset TRAIN = SparkAttributionTest.data(61, 1, "train");
  private static final Dataset QUERIES = SparkAttributionTest.data(7, 2, "queries");

  /** {@code method}, {@code method:kind}, {@code method:kind:sparsity} or {@code method:whole}. */
  private static MethodSpec spec(String run) {
    String[] parts = run.split(":");
    String method = parts[0];
    Map<String, String> options = switch (method) {
      case "logra" -> Map.of("in", "4", "out", "3", "inner", "fisher");
      case "rps" -> Map.of("lambda", "0.01", "tolerance", "1e-7");
      default -> Map.of();
    };
    // "whole": projection.dim = 0, so k = d = 63 > n = 61 and the kernel takes the dual route.
    boolean whole = parts.length > 1 && parts[1].equals("whole");
    ProjectionKind kind = parts.length > 1 && !whole ? ProjectionKind.fromName(parts[1])
        : ProjectionKind.GAUSSIAN;
    MethodSpec spec = new MethodSpec(method, "margin", whole ? 0 : 6, kind, 4,
        whole ? "0.3x" : "0.01", 16, options);
    return parts.length > 2 ? spec.withProjectionSparsity(Integer.parseInt(parts[2])) : spec;
  }

  /** TracIn's checkpoints carry learning rates; the others use them as they are. */
  private static List<Checkpoint> checkpoints(MethodSpec spec) {
    List<Checkpoint> models = List.of(SparkAttributionTest.checkpoint(1).withWeight(0.01),
        SparkAttributionTest.checkpoint(2).withWeight(0.02));
    return spec.prepare(models, TRAIN, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tracin", "grad-cos", "rps", "logra", "trak:sjlt", "if-fim:sjlt:2",
      "tracin:sjlt", "logra:sjlt", "trak:factorized", "if-fim:factorized",
      "grad-cos:factorized", "if-kfac", "if-ekfac", "trak:whole", "if-fim:whole"})
  void scoresAndSelfInfluenceEqualTheInMemoryApi(String method) {
    MethodSpec spec = spec(method);
    List<Checkpoint> checkpoints = checkpoints(spec);
    InnerProductAttributor.Fitted fitted = spec.create(checkpoints, 1).cache(TRAIN);
    ScoreMatrix expected = fitted.attribute(QUERIES);
    float[] expectedSelf = fitted.selfInfluence();

    SparkSession spark = SharedSpark.get();
    SparkAttribution attribution = new SparkAttribution(spark, spec, checkpoints, 3);
    org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
        InputSources.of(spark, TRAIN, 3), false, "train").cache();
    Map<Long, float[]> scores = new HashMap<>();
    Map<Long, Double> self = new HashMap<>();
    try (TrainingBlocks blocks = attribution.decode(features)) {
      // K-FAC's factors are fitted by passes over the input rows, here in 3 partitions.
      List<Preconditioner> kernels = attribution.preconditioners(blocks,
          new SparkAttribution.TrainingRows(InputSources.of(spark, TRAIN, 3), "train"), null);
      List<FeatureMatrix> queries = attribution.collectQueryFeatures(
          attribution.featurize(InputSources.of(spark, QUERIES, 2), true, "queries"));
      scores.putAll(ScoreRows.byExampleId(attribution.score(blocks, queries, kernels)));
      for (Row r : attribution.selfInfluence(blocks, kernels).collectAsList()) {
        self.put(r.getLong(0), r.getDouble(1));
      }
    }
    features.unpersist();

    double max = 0;
    for (int i = 0; i < TRAIN.size(); i++) {
      for (int q = 0; q < QUERIES.size(); q++) {
        max = Math.max(max, Math.abs(expected.get(i, q)));
      }
    }
    assertTrue(max > 0);
    assertEquals(TRAIN.size(), scores.size());
    for (int i = 0; i < TRAIN.size(); i++) {
      long id = expected.trainId(i);
      for (int q = 0; q < QUERIES.size(); q++) {
        assertEquals(expected.get(i, q), scores.get(id)[q], 1e-5 * max,
            method + " example " + id + " query " + q);
      }
      assertEquals(expectedSelf[i], self.get(id), 1e-5 * Math.abs(expectedSelf[i]) + 1e-9,
          method + " self-influence of " + id);
    }
  }
}
