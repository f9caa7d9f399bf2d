package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

import static dev.ascribe.udf.io.TableTestSupport.assertContains;
import static dev.ascribe.udf.io.TableTestSupport.assertStartsWith;
import static dev.ascribe.udf.io.TableTestSupport.partFiles;
import static dev.ascribe.udf.io.TableTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completeness markers, overwrite protection and unreadable files. */
class ParquetTablesTest {
  @TempDir Path dir;

  private static TopKScores scores(double score) {
    return new TopKScores(new long[] {1}, new int[] {1}, new long[] {2}, new double[] {score},
        new TopK.Kind[] {TopK.Kind.PROPONENT});
  }

  private String written(String name, double score) {
    String path = dir.resolve(name).toString();
    Tables.writeScoresTopK(spark(), scores(score), path, false);
    return path;
  }

  @Test
  void aTableWithoutSuccessMarkerIsRejected() throws IOException {
    String path = written("t", 0.5);
    Files.delete(dir.resolve("t").resolve("_SUCCESS"));
    Files.deleteIfExists(dir.resolve("t").resolve("._SUCCESS.crc"));
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readScoresTopK(spark(), path));
    assertEquals(path + ": has no _SUCCESS marker: the job that wrote it did not finish;"
        + " rerun it", e.getMessage());
    assertEquals(path, e.path());
  }

  @Test
  void aMissingTableIsNamed() {
    String path = dir.resolve("nothing-here").toString();
    String msg = assertThrows(InvalidTableException.class,
        () -> Tables.readGroundTruth(spark(), path)).getMessage();
    assertStartsWith(msg, path + ": no such table");
  }

  @Test
  void refusesToOverwriteACompleteTableUnlessAsked() {
    String path = written("t", 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tables.writeScoresTopK(spark(), scores(0.75), path, false));
    assertEquals(path + ": a complete table already exists; refusing to overwrite it: pass"
        + " overwrite=true (--set overwrite=true) to replace it", e.getMessage());
    assertEquals(0.5, Tables.readScoresTopK(spark(), path).scores()[0]);

    Tables.writeScoresTopK(spark(), scores(0.75), path, true);
    assertEquals(0.75, Tables.readScoresTopK(spark(), path).scores()[0]);
    assertEquals(1, partFiles(dir.resolve("t")).size(), "the old part file is gone");
  }

  @Test
  void replacesWhatAFailedJobLeftBehind() throws IOException {
    String path = written("t", 0.5);
    Files.delete(dir.resolve("t").resolve("_SUCCESS"));
    Tables.writeScoresTopK(spark(), scores(0.25), path, false);
    assertEquals(0.25, Tables.readScoresTopK(spark(), path).scores()[0]);
  }

  @Test
  void neverDeletesAFolderThatIsNotATable() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(folder.resolve("notes.txt"), "keep me");
    String msg = assertThrows(IllegalArgumentException.class,
        () -> Tables.writeScoresTopK(spark(), scores(1), folder.toString(), true)).getMessage();
    assertEquals(folder + ": exists and holds notes.txt, which is not part of a Parquet table;"
        + " refusing to delete it: choose another output path", msg);
    assertEquals("keep me", Files.readString(folder.resolve("notes.txt")));
  }

  @Test
  void aCorruptPartFileIsReportedWithThePath() throws IOException {
    String path = written("t", 0.5);
    Path part = partFiles(dir.resolve("t")).get(0);
    Files.write(part, "this is not parquet at all, just garbage".getBytes(StandardCharsets.UTF_8));
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readScoresTopK(spark(), path));
    assertStartsWith(e.getMessage(), path + ": cannot read the Parquet files (");
    assertContains(e.getMessage(), part.getFileName().toString(),
        "the table is corrupt or was not written by Ascribe; rerun the job that wrote it");
    assertNotNull(e.getCause(), "Spark's failure is kept as the cause");
  }

  @Test
  void aGarbageFileWithoutChecksumIsReportedWithThePath() throws IOException {
    // Without the .crc the checksum layer cannot catch it: the Parquet footer check must.
    String path = written("t", 0.5);
    Path part = partFiles(dir.resolve("t")).get(0);
    Files.delete(part.resolveSibling("." + part.getFileName() + ".crc"));
    byte[] garbage = new byte[300];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (i * 37);
    }
    Files.write(part, garbage);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readScoresTopK(spark(), path));
    assertStartsWith(e.getMessage(), path + ": cannot read the Parquet files (");
    assertContains(e.getMessage(), part.getFileName().toString());
  }

  @Test
  void corruptDataPagesBehindAnIntactFooterAreReportedWithThePath() throws IOException {
    // The schema reads fine; the failure comes while collecting the rows.
    String path = written("t", 0.5);
    Path part = partFiles(dir.resolve("t")).get(0);
    Files.delete(part.resolveSibling("." + part.getFileName() + ".crc"));
    byte[] bytes = Files.readAllBytes(part);
    for (int i = 4; i < 40; i++) {
      bytes[i] = (byte) 0xAB; // "PAR1" stays, the first page header does not
    }
    Files.write(part, bytes);
    InvalidTableException e = assertThrows(InvalidTableException.class,
        () -> Tables.readScoresTopK(spark(), path));
    assertStartsWith(e.getMessage(), path + ": cannot read the Parquet files (");
    assertContains(e.getMessage(), part.getFileName().toString());
  }

  @Test
  void rejectsAFileWhereATableShouldBe() throws IOException {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    String msg = assertThrows(InvalidTableException.class,
        () -> Tables.readScoresTopK(spark(), file.toString())).getMessage();
    assertStartsWith(msg, file + ": is a file: expected a table folder");
    String w = assertThrows(IllegalArgumentException.class,
        () -> Tables.writeScoresTopK(spark(), scores(1), file.toString(), true)).getMessage();
    assertStartsWith(w, file + ": is a file; refusing to replace it");
  }

  @Test
  void theQueryOrderFileIsRequiredAndVersioned() throws IOException {
    String path = dir.resolve("full").toString();
    Tables.writeScoresFull(spark(), new FullScores(new long[] {1}, new long[] {5, 6},
        new float[][] {{1f, 2f}}), path, false);
    Path json = dir.resolve("full").resolve("_queries.json");
    String good = Files.readString(json);
    // Edited by hand below: drop Hadoop's checksum so the edits are read, not refused.
    Files.delete(dir.resolve("full").resolve("._queries.json.crc"));

    Files.writeString(json, good.replace("\"version\":1", "\"version\":2"));
    assertEquals(path + ": _queries.json has format version 2: this Ascribe reads version 1",
        assertThrows(InvalidTableException.class,
            () -> Tables.readScoresFull(spark(), path)).getMessage());

    Files.writeString(json, good.replace("[5,6]", "[5]"));
    assertEquals(path + ": _queries.json says count 2 but lists 1 query ids",
        assertThrows(InvalidTableException.class,
            () -> Tables.readScoresFull(spark(), path)).getMessage());

    Files.writeString(json, good.replace("\"count\":2", "\"count\":3").replace("[5,6]", "[5,6,7]"));
    assertEquals(path + ": row example_id=1 has 2 scores: expected 3, one per query in"
        + " _queries.json", assertThrows(InvalidTableException.class,
            () -> Tables.readScoresFull(spark(), path)).getMessage());

    Files.delete(json);
    assertStartsWith(assertThrows(InvalidTableException.class,
        () -> Tables.readScoresFull(spark(), path)).getMessage(),
        path + ": has no _queries.json (the query order of the score columns): the job that"
            + " wrote it did not finish; rerun it");
    assertTrue(ParquetTables.isComplete(spark(), path), "the Parquet part itself is complete");
  }

  @Test
  void writerRejectsBadFileCounts() {
    String path = dir.resolve("x").toString();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df =
        spark().createDataFrame(scores(1).toRows(), TableFormat.SCORES_TOP_K.schema());
    assertEquals("number of files for " + path + " given 0: must be >= 1",
        assertThrows(IllegalArgumentException.class,
            () -> ParquetTables.write(df, TableFormat.SCORES_TOP_K, path, false, 0))
            .getMessage());
    ParquetTables.write(df, TableFormat.SCORES_TOP_K, path, false, 1);
    assertArrayEquals(new long[] {2}, Tables.readScoresTopK(spark(), path).exampleIds());
  }

  @Test
  void longRangeComesFromTheFootersOfEveryFile() throws IOException {
    var mnist = dev.ascribe.core.data.Mnist.loadRange(
        dev.ascribe.core.data.DataRoot.resolve(java.util.Optional.empty()),
        dev.ascribe.core.data.Mnist.Split.TRAIN, 0, 40);
    String path = dir.resolve("rows").toString();
    Tables.writeInputRows(spark(), mnist.select(new int[] {31, 5, 17, 22}, "some"), path, true);
    var conf = spark().sparkContext().hadoopConfiguration();
    assertArrayEquals(new long[] {5, 31}, ParquetTables.longRange(conf, path, Columns.ID));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals(null, ParquetTables.longRange(conf, empty.toString(), Columns.ID));
  }
}
