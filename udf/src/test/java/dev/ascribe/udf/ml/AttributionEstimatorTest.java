package dev.ascribe.udf.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.method.TrakOptions;
import dev.ascribe.udf.SharedSpark;
import dev.ascribe.udf.attribute.InputSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The options contract of the estimator: params, validators, defaults, schema checks. */
class AttributionEstimatorTest {
  @TempDir
  Path dir;

  @Test
  void explainParamsListsEveryParamWithItsDefault() {
    AttributionEstimator e = new AttributionEstimator().setProjectionDim(64);
    String text = e.explainParams();
    List<String> names = Arrays.stream(e.params()).map(p -> p.name()).toList();
    assertEquals(List.of("batchSize", "featuresCol", "idCol", "labelCol", "lambda", "method",
        "models", "modelsDir", "numClasses", "projectionDim", "projectionIn", "projectionKind",
        "projectionOut", "projectionSeed", "projectionSparsity", "target", "topK"), names);
    for (String line : List.of("method: attribution method: trak, grad-dot, if-fim, tracin",
        "if-arnoldi, if-kfac, if-ekfac (default: trak)",
        "target: query-side measurement: margin or neg-loss (default: margin)",
        "(default: 512, current: 64)", "lambda: damping on the mean scale", "(default: default)",
        "topK: proponents and opponents kept per query (>= 1) (default: 10)",
        "idCol: input column with each example's unique id, type bigint (default: id)",
        "(default: features)", "(default: label)", "(undefined)", "(default: sjlt)",
        "models: how many trained models to use")) {
      assertTrue(text.contains(line), "explainParams lacks '" + line + "':\n" + text);
    }
    assertTrue(e.explainParam(e.modelsDir()).startsWith("modelsDir: a run folder's models/"));
  }

  @Test
  void defaultsAndSettersAreTyped() {
    AttributionEstimator e = new AttributionEstimator();
    assertTrue(e.uid().startsWith("ascribe_"), e.uid());
    assertEquals("trak", e.getMethod());
    assertEquals("margin", e.getTarget());
    assertEquals(512, e.getProjectionDim());
    assertEquals(0L, e.getProjectionSeed());
    assertEquals("default", e.getLambda());
    assertEquals(10, e.getTopK());
    assertEquals(1, e.getModels());
    assertEquals(10, e.getNumClasses());
    assertNull(e.getModelsDir());
    e.setMethod("grad-dot").setTarget("neg-loss").setProjectionSeed(7).setLambda("0.3x")
        .setModels(2).setNumClasses(3).setProjectionKind("rademacher");
    assertEquals("grad-dot", e.methodSpec().method());
    assertEquals("neg-loss", e.methodSpec().target());
    assertEquals(7L, e.methodSpec().projectionSeed());
    assertEquals("0.3x", e.methodSpec().lambda());
    assertEquals("RADEMACHER", e.methodSpec().projectionKind().name());
  }

  @Test
  void factorizedSideDimensionsBelongToFactorizedOnly() {
    AttributionEstimator e = new AttributionEstimator();
    assertEquals("auto", e.getProjectionOut());
    assertEquals("auto", e.getProjectionIn());
    e.setProjectionKind("factorized").setProjectionOut("4,2");
    assertEquals("4,2", e.methodSpec().projectionOut());
    assertEquals("auto", e.methodSpec().projectionIn());
    e.setProjectionKind("sjlt");
    assertEquals("option projection.out given 4,2 with projection.kind sjlt: only factorized has"
        + " side dimensions (leave it auto)",
        assertThrows(IllegalArgumentException.class, e::methodSpec).getMessage());
    e.setProjectionKind("factorized").setProjectionIn("x");
    assertEquals("option projection.in given x: expected a whole number like 64, or one per"
        + " layer like 64,32,16, or auto",
        assertThrows(IllegalArgumentException.class, e::methodSpec).getMessage());
  }

  @Test
  void trakDefaultLambdaIsTheInMemoryOne() {
    AttributionEstimator e = new AttributionEstimator();
    assertEquals(TrakOptions.builder().build().lambda(), e.methodSpec().lambdaSpec());
    assertEquals(LambdaSpec.auto(), e.methodSpec().lambdaSpec());
  }

  @Test
  void invalidValuesAreRejectedBySparksValidatorsNamingTheParam() {
    AttributionEstimator e = new AttributionEstimator();
    rejected(() -> e.setProjectionDim(0), "projectionDim", "0");
    rejected(() -> e.setMethod("magic"), "method", "magic");
    rejected(() -> e.setTarget("accuracy"), "target", "accuracy");
    rejected(() -> e.setLambda("-1"), "lambda", "-1");
    rejected(() -> e.setLambda("defaults"), "lambda", "defaults");
    assertEquals("auto", e.setLambda("auto").getLambda());
    rejected(() -> e.setLambda("1e-3y"), "lambda", "1e-3y");
    rejected(() -> e.setTopK(0), "topK", "0");
    rejected(() -> e.setModels(0), "models", "0");
    rejected(() -> e.setNumClasses(1), "numClasses", "1");
    rejected(() -> e.setBatchSize(-2), "batchSize", "-2");
    rejected(() -> e.setProjectionKind("sparse"), "projectionKind", "sparse");
    rejected(() -> e.setIdCol(""), "idCol", "");
    assertEquals(512, e.getProjectionDim());
    assertEquals("trak", e.getMethod());
    e.setLambda("1e-3").setLambda("0.3x").setLambda("0");
  }

  @Test
  void copyKeepsTheUidAndAppliesExtraParams() {
    AttributionEstimator e = new AttributionEstimator().setProjectionDim(32).setModelsDir("m");
    AttributionEstimator c = e.copy(new ParamMap().put(e.topK(), (Object) 3));
    assertNotSame(e, c);
    assertEquals(e.uid(), c.uid());
    assertEquals(32, c.getProjectionDim());
    assertEquals("m", c.getModelsDir());
    assertEquals(3, c.getTopK());
    assertEquals(10, e.getTopK());
  }

  @Test
  void schemaErrorsNameTheColumnAndTheTypesBeforeAnyWork() {
    // modelsDir points nowhere: the schema is checked before anything is loaded.
    AttributionEstimator e = new AttributionEstimator().setModelsDir(dir.resolve("none")
        .toString()).setNumClasses(3);
    Dataset<Row> train = InputSources.of(SharedSpark.get(), MlTestData.TRAIN, 2);
    String msg = assertThrows(IllegalArgumentException.class, () -> e.fit(train.withColumn(
        "features", functions.col("features").cast("array<double>")))).getMessage();
    assertTrue(msg.contains("'features' (featuresCol) has type array<double>: expected"
        + " array<float>"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> e.fit(train.drop("label")))
        .getMessage();
    assertTrue(msg.contains("'label' (labelCol) is missing: expected label int; found columns"
        + " [id bigint, features array<float>]"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> e.setIdCol("example")
        .transformSchema(train.schema())).getMessage();
    assertTrue(msg.contains("'example' (idCol) is missing"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> e.setIdCol("id").fit(train
        .withColumn("id", functions.col("id").cast("int")))).getMessage();
    assertTrue(msg.contains("'id' (idCol) has type int: expected bigint"), msg);
  }

  @Test
  void missingOrMismatchedModelsAreReportedClearly() throws IOException {
    Dataset<Row> train = InputSources.of(SharedSpark.get(), MlTestData.TRAIN, 2);
    String msg = assertThrows(IllegalArgumentException.class,
        () -> new AttributionEstimator().fit(train)).getMessage();
    assertTrue(msg.contains("modelsDir is not set"), msg);
    Path models = dir.resolve("models");
    MlTestData.writeModels(models, 1);
    msg = assertThrows(IllegalArgumentException.class, () -> new AttributionEstimator()
        .setModelsDir(models.toString()).setNumClasses(3).setModels(2).fit(train)).getMessage();
    assertTrue(msg.contains("no completely trained model m1") && msg.contains("models is 2"),
        msg);
    msg = assertThrows(IllegalArgumentException.class, () -> new AttributionEstimator()
        .setModelsDir(models.toString()).fit(train)).getMessage();
    assertTrue(msg.contains("predicts 3 classes but numClasses is 10"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> new AttributionEstimator()
        .setModelsDir(models.toString()).setNumClasses(3).fit(train.limit(0))).getMessage();
    assertTrue(msg.contains("training Dataset has no rows"), msg);
  }

  private static void rejected(Executable set, String param, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, set);
    assertTrue(e.getMessage().contains("parameter " + param + " given invalid value " + value),
        e.getMessage());
  }
}
