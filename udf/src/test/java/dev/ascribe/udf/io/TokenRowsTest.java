package dev.ascribe.udf.io;

import static dev.ascribe.udf.io.TableTestSupport.spark;
import static dev.ascribe.udf.io.TableTestSupport.writeRaw;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence input rows: the first row with a wrong length or a bad token id is named. */
class TokenRowsTest {
  @TempDir Path dir;

  private void check(String name, List<Row> rows) {
    Path t = dir.resolve(name);
    writeRaw(rows, TableFormat.INPUT_ROWS.schema(), t);
    TokenRows.check(Tables.readInputRows(spark(), t.toString()), t.toString(), 4, 65);
  }

  @Test
  void validSequencesPass() {
    check("t", List.of(RowFactory.create(1L, new float[] {0, 64, 3, 3}, 3),
        RowFactory.create(2L, new float[] {1, 2, 3, 4}, 4)));
  }

  @Test
  void tokenIdsStoredAsIntsAreReadAsFloatsAndChecked() {
    StructType ints = new StructType().add("id", LongType)
        .add("features", createArrayType(IntegerType)).add("label", IntegerType);
    Path t = dir.resolve("ints");
    writeRaw(List.of(RowFactory.create(4L, new int[] {7, 0, 64, 2}, 2)), ints, t);
    dev.ascribe.core.data.Dataset d = Tables.readCoreDataset(spark(), t.toString(), 65);
    assertArrayEquals(new float[] {7, 0, 64, 2}, d.features(0));
    TokenRows.check(Tables.readInputRows(spark(), t.toString()), t.toString(), 4, 65);
    Path bad = dir.resolve("bad");
    writeRaw(List.of(RowFactory.create(4L, new int[] {7, 0, 65, 2}, 2)), ints, bad);
    InvalidTableException e = assertThrows(InvalidTableException.class, () -> TokenRows.check(
        Tables.readInputRows(spark(), bad.toString()), bad.toString(), 4, 65));
    assertEquals(bad + ": column 'features' of row id=4 holds 65.0 at index 2: expected a token"
        + " id, a whole number in [0, 65)", e.getMessage());
  }

  @Test
  void aRowOfAnotherLengthIsNamedWithTheExpectedWidth() {
    InvalidTableException e = assertThrows(InvalidTableException.class, () -> check("t", List.of(
        RowFactory.create(1L, new float[] {0, 1, 2, 3}, 3),
        RowFactory.create(9L, new float[] {0, 1, 2}, 2))));
    assertEquals(dir.resolve("t") + ": column 'features' of row id=9 holds 3 token ids: expected"
        + " 4 (the model's context T = 3 and the token after it)", e.getMessage());
  }

  @Test
  void anIdOutsideTheVocabularyOrNotWholeIsNamedWithItsIndex() {
    InvalidTableException outside = assertThrows(InvalidTableException.class,
        () -> check("t", List.of(
        RowFactory.create(5L, new float[] {0, 1, 65, 3}, 3),
        RowFactory.create(7L, new float[] {0, -1, 2, 3}, 3))));
    assertEquals(dir.resolve("t") + ": column 'features' of row id=5 holds 65.0 at index 2:"
        + " expected a token id, a whole number in [0, 65)", outside.getMessage());
    InvalidTableException fraction = assertThrows(InvalidTableException.class,
        () -> check("u", List.of(RowFactory.create(2L, new float[] {0, 1, 2, 0.5f}, 0))));
    assertEquals(dir.resolve("u") + ": column 'features' of row id=2 holds 0.5 at index 3:"
        + " expected a token id, a whole number in [0, 65)", fraction.getMessage());
  }
}
