package dev.ascribe.udf.ml;

import static dev.ascribe.udf.ml.MlTestData.QUERIES;
import static dev.ascribe.udf.ml.MlTestData.TRAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.udf.SharedSpark;
import dev.ascribe.udf.attribute.InputSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Estimator/Model pair against the in-memory API on the same stored models. */
class AttributionModelTest {
  private static final int K = 5;

  @TempDir
  static Path runDir;
  private static Path modelsDir;

  @BeforeAll
  static void trainModels() throws IOException {
    modelsDir = runDir.resolve("models");
    MlTestData.writeModels(modelsDir, 2);
  }

  private static AttributionEstimator estimator() {
    return new AttributionEstimator().setModelsDir(modelsDir.toString()).setModels(2)
        .setNumClasses(3).setProjectionDim(6).setProjectionSeed(4).setLambda("0.01")
        .setBatchSize(16).setTopK(K);
  }

  private static Dataset<Row> train() {
    return InputSources.of(SharedSpark.get(), TRAIN, 3);
  }

  private static Dataset<Row> queries() {
    return InputSources.of(SharedSpark.get(), QUERIES, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"trak", "grad-dot", "tracin", "rps", "if-cg", "trak:factorized"})
  void transformGivesTheInMemoryTopK(String run) throws IOException {
    // method, or method:projection kind
    String method = run.split(":")[0];
    AttributionEstimator estimator = estimator();
    if (run.contains(":")) {
      estimator.setProjectionKind(run.split(":")[1]);
    }
    if (method.equals("if-cg")) {
      estimator.setLambda(MethodSpec.DEFAULT_LAMBDA); // 0.01, raised above negative curvature
    }
    // grad-dot goes through Spark's fit(dataset, paramMap), which fits a copy.
    AttributionModel model = method.equals("grad-dot")
        ? estimator.fit(train(), new ParamMap().put(estimator.method(), method))
        : estimator.setMethod(method).fit(train());
    assertEquals(method, model.methodSpec().method());
    assertEquals(estimator.getProjectionKind(), model.methodSpec().projectionKind().optionName());
    assertEquals(TRAIN.size(), model.numTrain());

    // What the in-memory API featurizes: TracIn every saved epoch of both models, each weighted
    // lr / models = 0.05 / 2; RPS the refitted final epochs; the others the final epochs.
    List<Checkpoint> checkpoints = new ArrayList<>();
    if (method.equals("tracin")) {
      ModelStore store = new ModelStore(modelsDir);
      for (int m = 0; m < 2; m++) {
        for (int epoch = 1; epoch <= MlTestData.EPOCHS; epoch++) {
          checkpoints.add(Checkpoint.fromStore(store, m, epoch).withWeight(0.05 / 2));
        }
      }
    } else {
      checkpoints.addAll(MlTestData.finalCheckpoints(modelsDir, 2));
    }
    checkpoints = model.methodSpec().prepare(checkpoints, TRAIN, 1);
    assertEquals(checkpoints.stream().map(c -> c.name() + " x" + c.weight()).toList(),
        model.checkpoints().stream().map(c -> c.name() + " x" + c.weight()).toList());
    ScoreMatrix expected = model.methodSpec().create(checkpoints, 1).attribute(TRAIN, QUERIES);
    Map<Long, Row> byId = byId(model.transform(queries()), "id");
    assertEquals(QUERIES.size(), byId.size());
    assertTopKEqualsInMemory(expected, byId, method);
    model.features().unpersist();
  }

  @Test
  void otherColumnNamesAndExtraColumnsArePreserved() {
    Dataset<Row> train = train().withColumnRenamed("id", "example")
        .withColumnRenamed("features", "pixels").withColumnRenamed("label", "cls");
    AttributionModel model = estimator().setIdCol("example").setFeaturesCol("pixels")
        .setLabelCol("cls").fit(train);
    assertEquals("example", model.getIdCol());
    Dataset<Row> queries = queries().withColumn("note",
        functions.concat(functions.lit("q"), functions.col("id").cast("string")))
        .withColumnRenamed("id", "qid").withColumnRenamed("features", "x")
        .withColumnRenamed("label", "y");
    Dataset<Row> out = model.setIdCol("qid").setFeaturesCol("x").setLabelCol("y")
        .transform(queries);

    assertArrayEquals(new String[] {"qid", "x", "y", "note", "proponent_ids",
        "proponent_scores", "opponent_ids", "opponent_scores"}, out.columns());
    assertEquals(model.transformSchema(queries.schema()).simpleString(),
        out.schema().simpleString());
    Map<Long, Row> byId = byId(out, "qid");
    assertEquals(QUERIES.size(), out.count());
    for (Map.Entry<Long, Row> e : byId.entrySet()) {
      assertEquals("q" + e.getKey(), e.getValue().getAs("note"));
    }
    Map<Long, Row> plain = byId(model.setIdCol("id").setFeaturesCol("features")
        .setLabelCol("label").transform(queries()), "id");
    for (long id : plain.keySet()) {
      for (String c : new String[] {"proponent_ids", "proponent_scores", "opponent_ids",
          "opponent_scores"}) {
        assertEquals(plain.get(id).getList(plain.get(id).fieldIndex(c)),
            byId.get(id).getList(byId.get(id).fieldIndex(c)), c + " of query " + id);
      }
    }
    model.features().unpersist();
  }

  @Test
  void modelCarriesTheEstimatorsParamsAndParent() {
    AttributionEstimator estimator = estimator().setMethod("grad-dot");
    AttributionModel model = estimator.fit(train());
    assertSame(estimator, model.parent());
    assertEquals(estimator.uid(), model.uid());
    assertEquals(6, model.getProjectionDim());
    assertEquals("grad-dot", model.getMethod());
    assertEquals(modelsDir.toString(), model.getModelsDir());
    assertEquals(K, model.getTopK());
    assertTrue(model.isSet(model.projectionDim()), "set on the estimator: explicit on the model");
    assertFalse(model.isSet(model.projectionKind()), "a default stays a default");
    assertEquals("sjlt", model.getProjectionKind());
    AttributionModel copy = model.copy(new ParamMap().put(model.topK(), (Object) 2));
    assertEquals(2, copy.getTopK());
    assertEquals(K, model.getTopK());
    Row first = copy.transform(queries()).collectAsList().get(0);
    assertTrue(first.getList(first.fieldIndex("proponent_ids")).size() <= 2);
    assertEquals(0, model.transform(queries().limit(0)).count());
    model.features().unpersist();
  }

  @Test
  void queriesAreCheckedBeforeAnyWork() {
    AttributionModel model = estimator().setMethod("grad-dot").fit(train());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.transform(queries().withColumn("label",
            functions.col("label").cast("bigint"))));
    assertTrue(e.getMessage().contains("'label'") && e.getMessage().contains("bigint")
        && e.getMessage().contains("expected int"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> model.transform(queries().withColumn("opponent_ids", functions.lit(1))));
    assertTrue(e.getMessage().contains("'opponent_ids' already exists"), e.getMessage());
    model.features().unpersist();
  }

  private static void assertTopKEqualsInMemory(ScoreMatrix expected, Map<Long, Row> byId,
      String method) {
    double max = 0;
    for (int i = 0; i < expected.numTrain(); i++) {
      for (int q = 0; q < expected.numQueries(); q++) {
        max = Math.max(max, Math.abs(expected.get(i, q)));
      }
    }
    assertTrue(max > 0);
    double tol = 1e-5 * max;
    int nonEmpty = 0;
    for (int q = 0; q < expected.numQueries(); q++) {
      Map<Long, Double> column = new HashMap<>();
      for (int i = 0; i < expected.numTrain(); i++) {
        column.put(expected.trainId(i), (double) expected.get(i, q));
      }
      Row row = byId.get(expected.queryId(q));
      String what = method + " query " + expected.queryId(q);
      List<Long> proIds = row.getList(row.fieldIndex("proponent_ids"));
      MlTestData.assertSameTop(expected.top(q, K, TopK.Kind.PROPONENT), column, proIds,
          row.getList(row.fieldIndex("proponent_scores")), tol, what + " proponents");
      MlTestData.assertSameTop(expected.top(q, K, TopK.Kind.OPPONENT), column,
          row.getList(row.fieldIndex("opponent_ids")),
          row.getList(row.fieldIndex("opponent_scores")), tol, what + " opponents");
      nonEmpty += proIds.isEmpty() ? 0 : 1;
    }
    assertTrue(nonEmpty > 0, "some query has proponents");
  }

  private static Map<Long, Row> byId(Dataset<Row> out, String idCol) {
    Map<Long, Row> m = new HashMap<>();
    for (Row r : out.collectAsList()) {
      m.put(r.getAs(idCol), r);
    }
    return m;
  }
}
