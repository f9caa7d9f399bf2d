package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

import static dev.ascribe.udf.io.TableTestSupport.SPECIAL_FLOATS;
import static dev.ascribe.udf.io.TableTestSupport.bits;
import static dev.ascribe.udf.io.TableTestSupport.partFiles;
import static dev.ascribe.udf.io.TableTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every table written from arrays and read back: same values, bit for bit, in key order. */
class TablesRoundTripTest {
  @TempDir Path dir;

  @Test
  void inputRowsRoundTripToACoreDatasetInIdOrder() {
    float[] x = new float[3 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = SPECIAL_FLOATS[i];
    }
    Dataset data = new Dataset("tiny", new long[] {9, 2, 5}, x, new int[] {1, 0, 2}, 4, 3);
    String path = dir.resolve("input").toString();
    Tables.writeInputRows(spark(), data, path, false);

    org.apache.spark.sql.Dataset<Row> rows = Tables.readInputRows(spark(), path);
    assertEquals(TableFormat.INPUT_ROWS.schema().fieldNames().length, rows.columns().length);
    assertEquals(3, rows.count());
    // The table stores every float bit for bit, NaN and infinities included ...
    List<Row> stored = rows.orderBy("id").collectAsList();
    for (int r = 0; r < 3; r++) {
      List<Float> list = stored.get(r).getList(1);
      float[] got = new float[list.size()];
      for (int j = 0; j < got.length; j++) {
        got[j] = list.get(j);
      }
      assertArrayEquals(bits(data.features(new int[] {1, 2, 0}[r])), bits(got));
    }
    // ... but a core dataset refuses the first non-finite one (row id=2 holds NaN at index 3),
    // and takes the finite special values (-0, subnormals, extremes) bit for bit.
    InvalidTableException nonFinite = assertThrows(InvalidTableException.class,
        () -> Tables.readCoreDataset(spark(), path, 3));
    assertEquals(path + ": row id=2 has a non-finite feature NaN at index 3: every feature must be"
        + " a finite number; fix or drop the row", nonFinite.getMessage());
    for (int i = 0; i < x.length; i++) {
      x[i] = Float.isFinite(SPECIAL_FLOATS[i]) ? SPECIAL_FLOATS[i] : 0.25f * i;
    }
    data = new Dataset("tiny", new long[] {9, 2, 5}, x, new int[] {1, 0, 2}, 4, 3);
    Tables.writeInputRows(spark(), data, path, true);
    Dataset back = Tables.readCoreDataset(spark(), path, 3);
    assertEquals(path, back.name());
    assertArrayEquals(new long[] {2, 5, 9}, back.ids());
    assertArrayEquals(new int[] {0, 2, 1}, back.labels());
    assertEquals(4, back.dim());
    assertArrayEquals(bits(data.features(1)), bits(back.features(0)));
    assertArrayEquals(bits(data.features(2)), bits(back.features(1)));
    assertArrayEquals(bits(data.features(0)), bits(back.features(2)));
  }

  @Test
  void featuresRoundTripInExampleThenModelOrder() {
    // Given out of key order as (model, example): (1,7) (0,7) (1,3) (0,3); read back by example.
    Features f = new Features(new long[] {7, 7, 3, 3}, new int[] {1, 0, 1, 0},
        new int[] {4, 4, 9, 9},
        new float[][] {
          {SPECIAL_FLOATS[0], SPECIAL_FLOATS[1], SPECIAL_FLOATS[2]},
          {SPECIAL_FLOATS[3], SPECIAL_FLOATS[4], SPECIAL_FLOATS[5]},
          {SPECIAL_FLOATS[6], SPECIAL_FLOATS[7], SPECIAL_FLOATS[8]},
          {SPECIAL_FLOATS[9], SPECIAL_FLOATS[10], SPECIAL_FLOATS[11]}
        },
        new float[] {0.25f, -0.0f, Float.MIN_VALUE, 1f / 7f});
    String path = dir.resolve("features").toString();
    Tables.writeFeatures(spark(), f, path, false);
    Features back = Tables.readFeatures(spark(), path);

    int[] expectedOrder = {3, 2, 1, 0};
    assertEquals(4, back.size());
    assertEquals(3, back.dim());
    for (int r = 0; r < 4; r++) {
      int i = expectedOrder[r];
      assertEquals(f.exampleIds()[i], back.exampleIds()[r]);
      assertEquals(f.models()[i], back.models()[r]);
      assertEquals(f.labels()[i], back.labels()[r]);
      assertArrayEquals(bits(f.phi()[i]), bits(back.phi()[r]));
      assertEquals(Float.floatToIntBits(f.q()[i]), Float.floatToIntBits(back.q()[r]));
    }
  }

  @Test
  void topKScoresRoundTripInQueryKindRankOrder() {
    TopKScores s = new TopKScores(
        new long[] {11, 10, 10, 10},
        new int[] {1, 2, 1, 1},
        new long[] {5, 6, 7, 8},
        new double[] {0.5, 1e-300, Math.PI, -Double.MAX_VALUE},
        new TopK.Kind[] {TopK.Kind.PROPONENT, TopK.Kind.PROPONENT, TopK.Kind.PROPONENT,
          TopK.Kind.OPPONENT});
    String path = dir.resolve("topk").toString();
    Tables.writeScoresTopK(spark(), s, path, false);
    TopKScores back = Tables.readScoresTopK(spark(), path);
    // (10, opponent, 1), (10, proponent, 1), (10, proponent, 2), (11, proponent, 1)
    assertArrayEquals(new long[] {10, 10, 10, 11}, back.queryIds());
    assertArrayEquals(new int[] {1, 1, 2, 1}, back.ranks());
    assertArrayEquals(new long[] {8, 7, 6, 5}, back.exampleIds());
    assertArrayEquals(bits(new double[] {-Double.MAX_VALUE, Math.PI, 1e-300, 0.5}),
        bits(back.scores()));
    assertArrayEquals(new TopK.Kind[] {TopK.Kind.OPPONENT, TopK.Kind.PROPONENT,
      TopK.Kind.PROPONENT, TopK.Kind.PROPONENT}, back.kinds());
  }

  @Test
  void fullScoresKeepTheQueryOrderGiven() throws IOException {
    long[] queries = {30, 10, 20};
    FullScores s = new FullScores(new long[] {4, 1}, queries,
        new float[][] {
          {SPECIAL_FLOATS[1], SPECIAL_FLOATS[3], SPECIAL_FLOATS[7]},
          {SPECIAL_FLOATS[0], SPECIAL_FLOATS[5], SPECIAL_FLOATS[8]}});
    String path = dir.resolve("full").toString();
    Tables.writeScoresFull(spark(), s, path, false);
    String json = Files.readString(dir.resolve("full").resolve(QueriesFile.NAME));
    assertEquals("{\"format\":\"ascribe.scores_full.queries\",\"version\":1,\"count\":3,"
        + "\"query_ids\":[30,10,20]}", json);

    FullScores back = Tables.readScoresFull(spark(), path);
    assertArrayEquals(queries, back.queryIds());
    assertArrayEquals(queries, Tables.readQueryOrder(spark(), path));
    assertArrayEquals(new long[] {1, 4}, back.exampleIds());
    assertArrayEquals(bits(s.scores()[1]), bits(back.scores()[0]));
    assertArrayEquals(bits(s.scores()[0]), bits(back.scores()[1]));
  }

  @Test
  void fullScoresFromASparkDatasetInSeveralFiles() {
    FullScores s = new FullScores(new long[] {0, 1, 2, 3, 4, 5}, new long[] {77},
        new float[][] {{0f}, {1f}, {2f}, {3f}, {4f}, {5f}});
    org.apache.spark.sql.Dataset<Row> df =
        spark().createDataFrame(s.toRows(), TableFormat.SCORES_FULL.schema());
    String path = dir.resolve("full-df").toString();
    Tables.writeScoresFull(df, new long[] {77}, path, false, 2);
    assertEquals(2, partFiles(dir.resolve("full-df")).size());
    FullScores back = Tables.readScoresFull(spark(), path);
    assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, back.exampleIds());
    assertEquals(5f, back.scores()[5][0]);
  }

  @Test
  void groundTruthRoundTripsAsModelByQueryMatrices() {
    GroundTruth g = new GroundTruth(new int[] {2, 0},
        new long[][] {{1, 3, 5}, {0, 2}},
        new long[] {100, 200},
        new double[][] {{-0.1, -2.5}, {Math.log(0.3), -0.0}},
        new double[][] {{1.5, -3.0}, {Double.MIN_VALUE, 7e300}});
    String path = dir.resolve("gt").toString();
    Tables.writeGroundTruth(spark(), g, path, false);
    GroundTruth back = Tables.readGroundTruth(spark(), path);
    assertArrayEquals(new int[] {0, 2}, back.modelIds());
    assertArrayEquals(new long[] {100, 200}, back.queryIds());
    assertArrayEquals(new long[] {0, 2}, back.subsets()[0]);
    assertArrayEquals(new long[] {1, 3, 5}, back.subsets()[1]);
    assertArrayEquals(bits(g.logp()[1]), bits(back.logp()[0]));
    assertArrayEquals(bits(g.logp()[0]), bits(back.logp()[1]));
    assertArrayEquals(bits(g.margin()[1]), bits(back.margin()[0]));
    assertArrayEquals(bits(g.margin()[0]), bits(back.margin()[1]));
  }

  @Test
  void writesOneSortedFileAndRewritesItByteForByte() throws IOException {
    TopKScores s = new TopKScores(new long[] {3, 1, 2}, new int[] {1, 1, 1},
        new long[] {0, 1, 2}, new double[] {0.3, 0.1, 0.2},
        new TopK.Kind[] {TopK.Kind.PROPONENT, TopK.Kind.PROPONENT, TopK.Kind.PROPONENT});
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Tables.writeScoresTopK(spark(), s, a.toString(), false);
    Tables.writeScoresTopK(spark(), s, b.toString(), false);
    List<Path> filesA = partFiles(a);
    assertEquals(1, filesA.size());
    assertTrue(Files.exists(a.resolve(ParquetTables.SUCCESS_MARKER)));
    // The file itself is in key order (no sort on read).
    List<Row> raw = spark().read().parquet(a.toString()).collectAsList();
    assertEquals(List.of(1L, 2L, 3L), raw.stream().map(r -> r.getLong(0)).toList());
    // Same rows, same bytes: the layout does not depend on the run.
    assertArrayEquals(Files.readAllBytes(filesA.get(0)), Files.readAllBytes(partFiles(b).get(0)));
  }
}
