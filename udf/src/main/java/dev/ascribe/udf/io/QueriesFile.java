package dev.ascribe.udf.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The query order of a full-scores table: {@code _queries.json} inside the table folder, {@code
 * {"format":"ascribe.scores_full.queries","version":1,"count":m,"query_ids":[...]}}; {@code
 * scores[j]} of every row belongs to {@code query_ids[j]}. The leading underscore keeps Spark and
 * Parquet readers from taking it for data. It is written after the table committed, through a
 * temporary file and a rename, and a reader treats a table without it as incomplete.
 */
final class QueriesFile {
  static final String NAME = "_queries.json";
  static final String FORMAT = "ascribe.scores_full.queries";
  static final int VERSION = 1;

  private static final Gson GSON = new GsonBuilder().create();

  private QueriesFile() {}

  /** The file's JSON shape, filled and read by Gson. */
  private static final class Json {
    String format;
    int version;
    int count;

    @SerializedName("query_ids")
    long[] queryIds;
  }

  static void write(SparkSession spark, String table, long[] queryIds) {
    Json json = new Json();
    json.format = FORMAT;
    json.version = VERSION;
    json.count = queryIds.length;
    json.queryIds = queryIds;
    Path target = new Path(table, NAME);
    Path tmp = new Path(table, NAME + ".tmp");
    try {
      FileSystem fs = ParquetTables.fs(spark, table);
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(table + ": cannot write " + NAME, e);
    }
  }

  static long[] read(SparkSession spark, String table) {
    Path file = new Path(table, NAME);
    Json json;
    try {
      FileSystem fs = ParquetTables.fs(spark, table);
      if (!fs.exists(file)) {
        throw new InvalidTableException(table, "has no " + NAME + " (the query order of the"
            + " score columns): the job that wrote it did not finish; rerun it");
      }
      try (InputStream in = fs.open(file)) {
        json = GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), Json.class);
      }
    } catch (IOException e) {
      throw new InvalidTableException(table, "cannot read " + NAME + " (" + e.getMessage()
          + "): rerun the job that wrote the table", e);
    } catch (JsonParseException e) {
      throw new InvalidTableException(table, NAME + " is not valid JSON (" + e.getMessage()
          + "): rerun the job that wrote the table", e);
    }
    if (json == null || !FORMAT.equals(json.format)) {
      throw new InvalidTableException(table, NAME + " has format "
          + (json == null ? "none (empty file)" : json.format) + ": expected " + FORMAT);
    }
    if (json.queryIds == null) {
      throw new InvalidTableException(table, NAME + " lists no query_ids");
    }
    if (json.version != VERSION) {
      throw new InvalidTableException(table, NAME + " has format version " + json.version
          + ": this Ascribe reads version " + VERSION);
    }
    if (json.count != json.queryIds.length) {
      throw new InvalidTableException(table, NAME + " says count " + json.count + " but lists "
          + json.queryIds.length + " query ids");
    }
    return json.queryIds;
  }
}
