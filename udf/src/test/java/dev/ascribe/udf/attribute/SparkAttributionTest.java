package dev.ascribe.udf.attribute;

import dev.ascribe.udf.SyntheticData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.udf.SharedSpark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Spark stages against the in-memory API on the same data (DESIGN.md's tolerance). */
class SparkAttributionTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(8, new int[] {5}, 3, 0);
  private static final Dataset TRAIN = data(61, 1, "train");
  private static final Dataset QUERIES = data(7, 2, "queries");
  private static final List<Checkpoint> CHECKPOINTS = List.of(checkpoint(1), checkpoint(2));

  static Dataset data(int n, long seed, String name) {
    return SyntheticData.of(n, seed, name);
  }

  static Checkpoint checkpoint(long seed) {
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(ARCH, m, seed)) {
      return Checkpoint.of("c" + seed, net);
    }
  }

  static MethodSpec spec(String method) {
    // The untrained model's Hessian is indefinite: the Hessian methods need more damping.
    String lambda = method.startsWith("if-") && !method.equals("if-fim") ? "1" : "0.01";
    return new MethodSpec(method, "margin", 6, ProjectionKind.GAUSSIAN, 4, lambda, 16);
  }

  /** Scores by example id, from the Spark pipeline over {@code partitions} input partitions. */
  static Map<Long, float[]> sparkScores(String method, int partitions, boolean shuffleFeatures) {
    SparkSession spark = SharedSpark.get();
    SparkAttribution attribution = new SparkAttribution(spark, spec(method), CHECKPOINTS, 3);
    org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
        InputSources.of(spark, TRAIN, partitions), false, "train");
    if (shuffleFeatures) {
      // Scatter each example's checkpoint rows over partitions: the partial-combine path.
      features = features.repartition(3, org.apache.spark.sql.functions.rand(7));
    }
    features = features.cache();
    Map<Long, float[]> out = new HashMap<>();
    try (TrainingBlocks blocks = attribution.decode(features)) {
      List<Preconditioner> kernels = attribution.preconditioners(blocks, null, TRAIN);
      List<FeatureMatrix> queries = attribution.collectQueryFeatures(
          attribution.featurize(InputSources.of(spark, QUERIES, 2), true, "queries"));
      out.putAll(ScoreRows.byExampleId(attribution.score(blocks, queries, kernels)));
    }
    features.unpersist();
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void everyMethodEqualsTheInMemoryApi(int partitions) {
    for (String method : List.of("trak", "grad-dot", "if-fim", "if-explicit", "if-cg")) {
      ScoreMatrix expected = spec(method).create(CHECKPOINTS, 1).attribute(TRAIN, QUERIES);
      Map<Long, float[]> actual = sparkScores(method, partitions, false);
      assertEquals(TRAIN.size(), actual.size());
      double max = 0;
      for (int i = 0; i < TRAIN.size(); i++) {
        for (int q = 0; q < QUERIES.size(); q++) {
          max = Math.max(max, Math.abs(expected.get(i, q)));
        }
      }
      assertTrue(max > 0);
      for (int i = 0; i < TRAIN.size(); i++) {
        float[] row = actual.get(expected.trainId(i));
        for (int q = 0; q < QUERIES.size(); q++) {
          assertEquals(expected.get(i, q), row[q], 1e-5 * max,
              method + " partitions " + partitions + " example " + expected.trainId(i));
        }
      }
    }
  }

  @Test
  void rerunWithTheSamePartitioningIsBitIdenticalAndPartialsCombine() {
    Map<Long, float[]> a = sparkScores("trak", 3, false);
    Map<Long, float[]> b = sparkScores("trak", 3, false);
    for (long id : a.keySet()) {
      assertArrayEquals(a.get(id), b.get(id));
    }
    Map<Long, float[]> scattered = sparkScores("trak", 3, true);
    assertEquals(a.size(), scattered.size());
    for (long id : a.keySet()) {
      assertArrayEquals(a.get(id), scattered.get(id), 1e-5f * maxAbs(a));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void kernelsAreFittedInOneSparkJobAndEqualTheInMemoryKernels(int partitions) {
    SparkSession spark = SharedSpark.get();
    MethodSpec spec = spec("trak");
    InnerProductAttributor.Fitted inMemory = spec.create(CHECKPOINTS, 1).cache(TRAIN);
    SparkAttribution attribution = new SparkAttribution(spark, spec, CHECKPOINTS, 3);
    org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
        InputSources.of(spark, TRAIN, partitions), false, "train").cache();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String group = "kernels-" + partitions;
    List<Kernel> kernels;
    try (TrainingBlocks blocks = attribution.decode(features)) {
      context.setJobGroup(group, "the kernel fit", false);
      kernels = attribution.kernels(blocks);
      context.clearJobGroup();
      // A rerun over the same partitions gives the same bits.
      List<Kernel> again = attribution.kernels(blocks);
      for (int c = 0; c < kernels.size(); c++) {
        assertArrayEquals(kernels.get(c).meanGram(), again.get(c).meanGram());
      }
    }
    features.unpersist();
    assertEquals(1, context.statusTracker().getJobIdsForGroup(group).length);
    assertEquals(CHECKPOINTS.size(), kernels.size());
    for (int c = 0; c < kernels.size(); c++) {
      double[] expected = attribution.attributor().fit(inMemory.features().get(c)).meanGram();
      double[] actual = kernels.get(c).meanGram();
      assertEquals(TRAIN.size(), kernels.get(c).count());
      double max = 0;
      for (double v : expected) {
        max = Math.max(max, Math.abs(v));
      }
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5 * max, "model " + c + " entry " + i);
      }
    }
  }

  @Test
  void trakWithLambdaAutoPicksTheSameLambdaAndTopKInMemoryAndOnSpark() {
    MethodSpec spec = new MethodSpec("trak", "margin", 6, ProjectionKind.GAUSSIAN, 4, "auto", 16);
    InnerProductAttributor.Fitted inMemory = spec.create(CHECKPOINTS, 1).cache(TRAIN);
    ScoreMatrix expected = inMemory.attribute(QUERIES);
    SparkSession spark = SharedSpark.get();
    SparkAttribution attribution = new SparkAttribution(spark, spec, CHECKPOINTS, 3);
    org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
        InputSources.of(spark, TRAIN, 3), false, "train").cache();
    TopK[][] top;
    List<Preconditioner> kernels;
    // The same training features in memory (Spark's featurization differs from the in-memory one
    // in the last float bits, which moves λ by about 1e-8 relative).
    List<FeatureMatrix> sameFeatures = attribution.collectQueryFeatures(features);
    try (TrainingBlocks blocks = attribution.decode(features)) {
      kernels = attribution.preconditioners(blocks, null, TRAIN);
      List<FeatureMatrix> queries = attribution.collectQueryFeatures(
          attribution.featurize(InputSources.of(spark, QUERIES, 2), true, "queries"));
      org.apache.spark.sql.Dataset<Row> scores = attribution.score(blocks, queries, kernels);
      top = SparkAttribution.topK(scores, QUERIES.size(), 5);
      scores.unpersist();
    }
    features.unpersist();
    InnerProductAttributor attributor = attribution.attributor();
    for (int c = 0; c < CHECKPOINTS.size(); c++) {
      double memory = lambda(attributor.precondition(c, attributor.fit(sameFeatures.get(c)),
          null));
      double onSpark = lambda(kernels.get(c));
      assertTrue(memory > 0, "lambda of model " + c + ": " + memory);
      assertEquals(memory, onSpark, 1e-12 * memory, "lambda of model " + c);
      double endToEnd = lambda(inMemory.preconditioners().get(c));
      assertEquals(endToEnd, onSpark, 1e-6 * endToEnd, "lambda of model " + c + " end to end");
    }
    for (int q = 0; q < QUERIES.size(); q++) {
      for (TopK.Kind kind : TopK.Kind.values()) {
        List<Long> memoryIds = expected.top(q, 5, kind).stream().map(TopK.Entry::exampleId)
            .toList();
        List<Long> sparkIds = top[q][kind == TopK.Kind.PROPONENT ? 0 : 1].sorted().stream()
            .map(TopK.Entry::exampleId).toList();
        assertEquals(memoryIds, sparkIds, kind + " of query " + q);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void streamedTopKInQueryBlocksEqualsTheTopKOfTheFullScores(boolean scatter) {
    SparkSession spark = SharedSpark.get();
    SparkAttribution attribution = new SparkAttribution(spark, spec("trak"), CHECKPOINTS, 3);
    org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
        InputSources.of(spark, TRAIN, 3), false, "train");
    if (scatter) {
      // Each example's checkpoint rows in different partitions: the partials path.
      features = features.repartition(3, org.apache.spark.sql.functions.rand(7));
    }
    features = features.cache();
    try (TrainingBlocks blocks = attribution.decode(features)) {
      List<Preconditioner> kernels = attribution.preconditioners(blocks, null, TRAIN);
      List<FeatureMatrix> queries = attribution.collectQueryFeatures(
          attribution.featurize(InputSources.of(spark, QUERIES, 2), true, "queries"));
      org.apache.spark.sql.Dataset<Row> scores = attribution.score(blocks, queries, kernels);
      TopK[][] expected = SparkAttribution.topK(scores, QUERIES.size(), 5);
      float tolerance = 1e-5f * maxAbs(ScoreRows.byExampleId(scores));
      scores.unpersist();
      SparkAttribution.TopKScores oneBlock = attribution.topK(blocks, queries, kernels, 5, 7);
      SparkAttribution.TopKScores threeBlocks = attribution.topK(blocks, queries, kernels, 5, 3);
      assertEquals(TRAIN.size(), oneBlock.examples());
      assertEquals(TRAIN.size(), threeBlocks.examples());
      for (int q = 0; q < QUERIES.size(); q++) {
        for (int side = 0; side < 2; side++) {
          // One block: the same products in the same order, so the same bits.
          assertEquals(expected[q][side].sorted(), oneBlock.top()[q][side].sorted(),
              "query " + q + " side " + side);
          List<TopK.Entry> want = expected[q][side].sorted();
          List<TopK.Entry> got = threeBlocks.top()[q][side].sorted();
          assertEquals(want.stream().map(TopK.Entry::exampleId).toList(),
              got.stream().map(TopK.Entry::exampleId).toList(), "query " + q + " in blocks");
          for (int r = 0; r < want.size(); r++) {
            assertEquals(want.get(r).score(), got.get(r).score(), tolerance);
          }
        }
      }
      assertTrue(assertThrowsIae(() -> attribution.topK(blocks, queries, kernels, 5, 0))
          .contains("query block given 0: must be >= 1"));
    }
    features.unpersist();
  }

  private static String assertThrowsIae(org.junit.jupiter.api.function.Executable call) {
    return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call)
        .getMessage();
  }

  @Test
  void topKMergedAcrossPartitionsEqualsTheInMemorySelection() {
    ScoreMatrix expected = spec("trak").create(CHECKPOINTS, 1).attribute(TRAIN, QUERIES);
    SparkSession spark = SharedSpark.get();
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < expected.numTrain(); i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(expected.trainId(i), expected.row(i)));
    }
    TopK[][] top = SparkAttribution.topK(spark.createDataFrame(rows,
        dev.ascribe.udf.io.TableFormat.SCORES_FULL.schema()).repartition(4), 7, 5);
    for (int q = 0; q < 7; q++) {
      assertEquals(expected.top(q, 5, TopK.Kind.PROPONENT), top[q][0].sorted());
      assertEquals(expected.top(q, 5, TopK.Kind.OPPONENT), top[q][1].sorted());
    }
  }

  @Test
  void selfInfluenceOnSparkEqualsTheInMemoryApi() {
    SparkSession spark = SharedSpark.get();
    for (String method : List.of("trak", "grad-dot")) {
      float[] expected = spec(method).create(CHECKPOINTS, 1).cache(TRAIN).selfInfluence();
      SparkAttribution attribution = new SparkAttribution(spark, spec(method), CHECKPOINTS, 3);
      org.apache.spark.sql.Dataset<Row> features = attribution.featurize(
          InputSources.of(spark, TRAIN, 3), false, "train").cache();
      Map<Long, Double> actual = new HashMap<>();
      try (TrainingBlocks blocks = attribution.decode(features)) {
        for (Row r : attribution.selfInfluence(blocks, attribution.preconditioners(blocks, null, null))
            .collectAsList()) {
          actual.put(r.getLong(0), r.getDouble(1));
        }
      }
      features.unpersist();
      assertEquals(TRAIN.size(), actual.size());
      for (int i = 0; i < TRAIN.size(); i++) {
        assertEquals(expected[i], actual.get(TRAIN.id(i)), 1e-5 * Math.abs(expected[i]) + 1e-9,
            method + " example " + TRAIN.id(i));
      }
    }
  }

  @Test
  void featuresOfAnotherProjectionDimensionAreRefusedByName() {
    SparkSession spark = SharedSpark.get();
    org.apache.spark.sql.Dataset<Row> k6 = new SparkAttribution(spark, spec("trak"), CHECKPOINTS, 3)
        .featurize(InputSources.of(spark, TRAIN, 2), false, "train");
    MethodSpec k4 = new MethodSpec("trak", "margin", 4, ProjectionKind.GAUSSIAN, 4, "0.01", 16);
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> {
          SparkAttribution attribution = new SparkAttribution(spark, k4, CHECKPOINTS, 3);
          try (TrainingBlocks blocks = attribution.decode(k6)) {
            attribution.preconditioners(blocks, null, null);
          }
        });
    Throwable t = e;
    while (!(t instanceof IllegalArgumentException) && t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(t.getMessage().contains("have 6 values: expected projection.dim = 4"),
        t.getMessage());
  }

  private static double lambda(Preconditioner kernel) {
    return ((KernelPreconditioner) kernel).factorized().lambda();
  }

  private static float maxAbs(Map<Long, float[]> scores) {
    float max = 0;
    for (float[] v : scores.values()) {
      for (float x : v) {
        max = Math.max(max, Math.abs(x));
      }
    }
    return max;
  }
}
