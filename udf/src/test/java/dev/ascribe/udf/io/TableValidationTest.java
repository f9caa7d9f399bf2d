package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

import static dev.ascribe.udf.io.TableTestSupport.assertContains;
import static dev.ascribe.udf.io.TableTestSupport.spark;
import static dev.ascribe.udf.io.TableTestSupport.writeRaw;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables that are complete Parquet but break the format: every message names what and where. */
class TableValidationTest {
  @TempDir Path dir;

  private static final StructType INPUT = TableFormat.INPUT_ROWS.schema();

  @Test
  void aMistypedColumnIsNamedWithBothTypes() {
    StructType labelAsString = new StructType()
        .add("id", LongType).add("features", createArrayType(FloatType)).add("label", StringType);
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(1L, new float[] {1f}, "cat")), labelAsString, t);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readCoreDataset(spark(), t.toString(), 2));
    assertEquals(t + ": column 'label' has type string: expected int in an input rows table",
        e.getMessage());
  }

  @Test
  void aMissingColumnIsNamedWithTheColumnsFound() {
    StructType noPhi = new StructType().add("example_id", LongType).add("model", IntegerType)
        .add("label", IntegerType).add("q", FloatType);
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(1L, 0, 3, 0.5f)), noPhi, t);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readFeatures(spark(), t.toString()));
    assertEquals(t + ": column 'phi' is missing: expected phi array<float> in a features table;"
        + " found columns [example_id bigint, model int, label int, q float]", e.getMessage());
  }

  @Test
  void imagesOfTheWrongWidthNameTheTableTheColumnAndBothWidths() {
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(1L, new float[784], 0),
        RowFactory.create(2L, new float[784], 1)), INPUT, t);
    dev.ascribe.core.data.Dataset rows = Tables.readCoreDataset(spark(), t.toString(), 2);
    dev.ascribe.core.model.ModelSpec resnet = dev.ascribe.core.model.ResNet9Spec.of(3072,
        new int[] {4, 8, 16, 32}, 2, 0);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> InputRows.requireWidth(rows, t.toString(), resnet));
    assertEquals(t + ": column features holds 784 floats per row: model resnet9-4-8-16-32 takes"
        + " 3072; write the table at that width or choose a model for 784 inputs", e.getMessage());
    dev.ascribe.core.model.ModelSpec lr =
        dev.ascribe.core.model.FeedForwardSpec.logisticRegression(784, 2);
    InputRows.requireWidth(rows, t.toString(), lr);
  }

  @Test
  void inputRowsWithAnotherFeatureLengthNameTheId() {
    Path t = dir.resolve("t");
    writeRaw(List.of(
        RowFactory.create(3L, new float[] {1f, 2f, 3f}, 0),
        RowFactory.create(7L, new float[] {1f, 2f}, 1),
        RowFactory.create(5L, new float[] {4f, 5f, 6f}, 1)), INPUT, t);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readCoreDataset(spark(), t.toString(), 2));
    assertEquals(t + ": row id=7 has 2 features: expected 3 like row id=3", e.getMessage());
  }

  @Test
  void aNonFiniteFeatureNamesTheRowAndIndex() {
    float[] x = new float[301];
    x[300] = Float.POSITIVE_INFINITY;
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(3L, new float[301], 0), RowFactory.create(7L, x, 1)),
        INPUT, t);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readCoreDataset(spark(), t.toString(), 2));
    assertEquals(t + ": row id=7 has a non-finite feature Infinity at index 300: every feature"
        + " must be a finite number; fix or drop the row", e.getMessage());
  }

  @Test
  void theFooterCheckFindsWrongColumnsEmptyTablesAndCorruptFilesWithoutSpark() throws Exception {
    var conf = new org.apache.hadoop.conf.Configuration();
    Path good = dir.resolve("good");
    writeRaw(List.of(RowFactory.create(1L, new float[] {1f}, 0)), INPUT, good);
    ParquetSchemas.check(TableFormat.INPUT_ROWS, good.toString(), conf);
    StructType labelAsString = new StructType()
        .add("id", LongType).add("features", createArrayType(FloatType)).add("label", StringType);
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(1L, new float[] {1f}, "cat")), labelAsString, t);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> ParquetSchemas.check(TableFormat.INPUT_ROWS, t.toString(), conf));
    assertEquals(t + ": column 'label' has type string: expected int in an input rows table",
        e.getMessage());
    Path empty = dir.resolve("empty");
    writeRaw(List.of(), INPUT, empty);
    e = assertThrows(InvalidTableException.class,
        () -> ParquetSchemas.check(TableFormat.INPUT_ROWS, empty.toString(), conf));
    assertEquals(empty + ": has no rows: expected at least one example", e.getMessage());
    Path corrupt = java.nio.file.Files.createDirectories(dir.resolve("corrupt"));
    java.nio.file.Files.writeString(corrupt.resolve("part-0.parquet"), "not parquet");
    java.nio.file.Files.writeString(corrupt.resolve("_SUCCESS"), "");
    e = assertThrows(InvalidTableException.class,
        () -> ParquetSchemas.check(TableFormat.INPUT_ROWS, corrupt.toString(), conf));
    assertTrue(e.getMessage().startsWith(corrupt + ": cannot read the Parquet footer of"
        + " part-0.parquet ("), e.getMessage());
  }

  @Test
  void extraInputColumnsAreIgnoredAndLabelsAreChecked() {
    StructType withExtra = INPUT.add("source", StringType);
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(0L, new float[] {1f}, 0, "a"),
        RowFactory.create(1L, new float[] {2f}, 4, "b")), withExtra, t);
    assertEquals(3, Tables.readInputRows(spark(), t.toString()).columns().length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tables.readCoreDataset(spark(), t.toString(), 3));
    assertEquals("dataset " + t + ": example 1 has label 4: expected a class in [0, 3)",
        e.getMessage());
  }

  @Test
  void nullsAndRepeatedKeysAreNamed() {
    StructType nullable = new StructType().add("id", LongType)
        .add("features", createArrayType(FloatType, true)).add("label", IntegerType);
    Path nullLabel = dir.resolve("null-label");
    writeRaw(List.of(RowFactory.create(4L, new float[] {1f}, null)), nullable, nullLabel);
    assertEquals(nullLabel + ": row id=4 has a null label: every value of an Ascribe table must"
        + " be set", assertThrows(InvalidTableException.class,
            () -> Tables.readCoreDataset(spark(), nullLabel.toString(), 2)).getMessage());

    Path nullElement = dir.resolve("null-element");
    writeRaw(List.of(RowFactory.create(4L, Arrays.asList(1f, null), 0)), nullable, nullElement);
    assertEquals(nullElement + ": row id=4 has a null features[1]: every value of an Ascribe"
        + " table must be set", assertThrows(InvalidTableException.class,
            () -> Tables.readCoreDataset(spark(), nullElement.toString(), 2)).getMessage());

    Path twice = dir.resolve("twice");
    writeRaw(List.of(RowFactory.create(4L, new float[] {1f}, 0),
        RowFactory.create(4L, new float[] {2f}, 1)), INPUT, twice);
    assertEquals(twice + ": key id=4 occurs twice: an input rows table has one row per key",
        assertThrows(InvalidTableException.class,
            () -> Tables.readCoreDataset(spark(), twice.toString(), 2)).getMessage());
  }

  @Test
  void unknownScoreKindIsNamed() {
    Path t = dir.resolve("t");
    writeRaw(List.of(RowFactory.create(1L, 1, 2L, 0.5, "neutral")),
        TableFormat.SCORES_TOP_K.schema(), t);
    assertEquals(t + ": row query_id=1, kind=neutral, rank=1: score kind 'neutral': expected"
        + " 'proponent' or 'opponent'", assertThrows(InvalidTableException.class,
            () -> Tables.readScoresTopK(spark(), t.toString())).getMessage());
  }

  @Test
  void groundTruthModelsMustShareQueriesAndKeepOneSubset() {
    StructType s = TableFormat.GROUND_TRUTH.schema();
    Path ragged = dir.resolve("ragged");
    writeRaw(List.of(RowFactory.create(0, new long[] {1}, 10L, -1.0, 1.0),
        RowFactory.create(0, new long[] {1}, 11L, -1.0, 1.0),
        RowFactory.create(1, new long[] {2}, 10L, -1.0, 1.0)), s, ragged);
    assertEquals(ragged + ": model_id=1 has queries [10] but model_id=0 has [10, 11]: every"
        + " model needs a row for each of the same queries", assertThrows(
            InvalidTableException.class,
            () -> Tables.readGroundTruth(spark(), ragged.toString())).getMessage());

    Path subsets = dir.resolve("subsets");
    writeRaw(List.of(RowFactory.create(0, new long[] {1}, 10L, -1.0, 1.0),
        RowFactory.create(0, new long[] {2}, 11L, -1.0, 1.0)), s, subsets);
    assertEquals(subsets + ": model_id=0 has different subsets on different rows: expected one"
        + " subset per model", assertThrows(InvalidTableException.class,
            () -> Tables.readGroundTruth(spark(), subsets.toString())).getMessage());
  }

  @Test
  void writersRejectColumnsThatAreNotTheFormat() {
    StructType extra = TableFormat.SCORES_FULL.schema().add("note", StringType);
    org.apache.spark.sql.Dataset<Row> df =
        spark().createDataFrame(List.of(RowFactory.create(1L, new float[] {1f}, "x")), extra);
    String path = dir.resolve("x").toString();
    assertContains(assertThrows(InvalidTableException.class,
            () -> Tables.writeScoresFull(df, new long[] {9}, path, false, 1)).getMessage(),
        path + ": unexpected column(s) [note] for a full scores table: expected exactly"
            + " [example_id bigint, scores array<float>]");
    org.apache.spark.sql.Dataset<Row> doubles = df.selectExpr("example_id",
        "cast(scores as array<double>) as scores");
    assertEquals(path + ": column 'scores' has type array<double>: expected array<float> in a"
        + " full scores table", assertThrows(InvalidTableException.class,
            () -> Tables.writeScoresFull(doubles, new long[] {9}, path, false, 1)).getMessage());
  }

  @Test
  void inMemoryTablesRejectInconsistentArrays() {
    assertEquals("features: phi of model=0, example_id=2 has length 1: expected 2 like the"
        + " first row", assertThrows(IllegalArgumentException.class, () -> new Features(
            new long[] {1, 2}, new int[] {0, 0}, new int[] {0, 0},
            new float[][] {{1f, 2f}, {3f}}, new float[] {0f, 0f})).getMessage());
    assertEquals("full scores query ids: key query_id=5 occurs twice: keys must be unique",
        assertThrows(IllegalArgumentException.class, () -> new FullScores(new long[] {1},
            new long[] {5, 5}, new float[][] {{1f, 2f}})).getMessage());
    assertEquals("features: key model=0, example_id=1 occurs twice: keys must be unique",
        assertThrows(IllegalArgumentException.class, () -> Tables.writeFeatures(spark(),
            new Features(new long[] {1, 1}, new int[] {0, 0}, new int[] {0, 0},
                new float[][] {{1f}, {2f}}, new float[] {0f, 0f}),
            dir.resolve("f").toString(), false)).getMessage());
    assertEquals("groundtruth: model_id=3 has a missing subset or a logp/margin row whose length"
        + " is not the number of queries, 2", assertThrows(IllegalArgumentException.class,
            () -> new GroundTruth(new int[] {3}, new long[][] {{1}}, new long[] {1, 2},
                new double[][] {{0.0}}, new double[][] {{0.0, 0.0}})).getMessage());
    assertEquals("score kind 'x': expected 'proponent' or 'opponent'",
        assertThrows(IllegalArgumentException.class, () -> TopK.Kind.of("x")).getMessage());
  }
}
