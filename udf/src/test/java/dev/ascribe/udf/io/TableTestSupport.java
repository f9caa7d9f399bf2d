package dev.ascribe.udf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.udf.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small helpers shared by the table tests. */
final class TableTestSupport {
  /** Float values whose bits a round trip must keep: signed zero, subnormal, extremes, NaN. */
  static final float[] SPECIAL_FLOATS = {
    0.1f, -0.0f, 0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f / 3f, -123.456f
  };

  private TableTestSupport() {}

  static SparkSession spark() {
    return SharedSpark.get();
  }

  /** Writes rows as plain Parquet through Spark, bypassing Ascribe's writer (for bad tables). */
  static void writeRaw(List<Row> rows, StructType schema, Path dir) {
    spark().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
  }

  static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToIntBits(v[i]);
    }
    return out;
  }

  static long[] bits(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToLongBits(v[i]);
    }
    return out;
  }

  /** The table's Parquet data files (part-*), sorted by name. */
  static List<Path> partFiles(Path table) {
    try (Stream<Path> s = Files.list(table)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected «" + part + "» in: " + message);
    }
  }

  static void assertStartsWith(String message, String prefix) {
    assertEquals(prefix, message.substring(0, Math.min(prefix.length(), message.length())),
        message);
  }
}
