package dev.ascribe.udf.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writing and reading Ascribe's Parquet tables safely (DESIGN.md, Data flow): every write goes
 * through Spark's v1 {@code FileOutputCommitter}, which writes the {@code _SUCCESS} marker only
 * when the whole job committed, and every read first checks that marker, so the output of a
 * failed or killed job is never taken for a complete table.
 *
 * <p>Writers refuse to replace a complete table unless asked ({@code overwrite}), never delete a
 * folder that does not look like a table, and lay rows out deterministically: sorted by the
 * format's keys, in one file or range-partitioned by key into a fixed number of files. Paths are
 * Hadoop paths (local, {@code file:}, {@code hdfs:}, ...).
 */
public final class ParquetTables {
  /** The marker the committer writes last; a table without it is incomplete. */
  public static final String SUCCESS_MARKER = "_SUCCESS";
  /**
   * Parquet row-group size of our tables. Readers hold a row group's column chunk in the heap, and
   * feature and score tables are essentially one wide array column: Parquet's default of 128 MB,
   * read by two tasks at once, did not fit a 1 GiB driver in local mode.
   */
  public static final long ROW_GROUP_BYTES = 16L << 20;

  private ParquetTables() {}

  /**
   * Writes {@code rows} as a table of {@code format} at {@code path}.
   *
   * @param rows the rows; must have exactly the format's columns and types (any order)
   * @param format which table
   * @param path the table folder
   * @param overwrite replace a complete table already at {@code path}
   * @param files number of Parquet files, ≥ 1: 1 sorts everything into one file, more
   *     range-partitions by key (each file sorted)
   * @throws IllegalArgumentException if a complete table exists and {@code overwrite} is false,
   *     if {@code path} holds something that is not a table, or if the columns do not match
   */
  public static void write(
      Dataset<Row> rows, TableFormat format, String path, boolean overwrite, int files) {
    if (files < 1) {
      throw new IllegalArgumentException(
          "number of files for " + path + " given " + files + ": must be >= 1");
    }
    Dataset<Row> conformed = format.conformExactly(rows, path);
    commit(files == 1
        ? conformed.repartition(1).sortWithinPartitions(format.keyColumns())
        : conformed.repartitionByRange(files, format.keyColumns())
            .sortWithinPartitions(format.keyColumns()), path, overwrite);
  }

  /**
   * Writes a large Dataset as it is partitioned, one file per partition and no shuffle, each file
   * sorted by the format's keys: how Spark stages write features and scores. Same completeness
   * and overwrite rules as {@link #write}.
   */
  public static void writePartitioned(Dataset<Row> rows, TableFormat format, String path,
      boolean overwrite) {
    commit(format.conformExactly(rows, path).sortWithinPartitions(format.keyColumns()), path,
        overwrite);
  }

  /** Writes laid-out rows through Spark's committer and checks the table came out complete. */
  private static void commit(Dataset<Row> laidOut, String path, boolean overwrite) {
    SparkSession spark = laidOut.sparkSession();
    boolean exists = prepareTarget(spark, path, overwrite);
    laidOut.write()
        .mode(exists ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        // Passed with every write so that sessions not made by SparkSessions are safe too.
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "true")
        .option("mapreduce.fileoutputcommitter.algorithm.version", "1")
        .option("parquet.block.size", Long.toString(ROW_GROUP_BYTES))
        .parquet(path);
    if (!isComplete(spark, path)) {
      throw new IllegalStateException(path + ": the write finished but left no " + SUCCESS_MARKER
          + " marker; check that mapreduce.fileoutputcommitter.marksuccessfuljobs is not"
          + " disabled and that the default Parquet output committer is in use");
    }
  }

  /**
   * Opens a complete table of {@code format}: checks {@code _SUCCESS}, reads the Parquet schema
   * and checks every column's type; returns the format's columns in schema order (lazy: the
   * rows are read when the Dataset is used).
   *
   * @throws InvalidTableException if the table is missing, incomplete, not readable as Parquet,
   *     or has a missing or mistyped column
   */
  public static Dataset<Row> read(SparkSession spark, TableFormat format, String path) {
    requireComplete(spark, path);
    Dataset<Row> raw = readingFailuresNamed(path, () -> spark.read().parquet(path));
    return format.conform(raw, path);
  }

  /**
   * Opens a complete table that Ascribe itself wrote in {@code format} (an incremental store's
   * entries, read at every increment): read with the format's schema, so that opening it starts
   * no schema-inference job; a column of another type fails when the rows are read.
   *
   * @throws InvalidTableException if the table is missing or incomplete
   */
  public static Dataset<Row> readWritten(SparkSession spark, TableFormat format, String path) {
    requireComplete(spark, path);
    return readingFailuresNamed(path,
        () -> spark.read().schema(format.schema()).parquet(path));
  }

  /**
   * The smallest and largest value of a long column over a table's files, from the statistics
   * in their Parquet footers (no Spark job, no data read); null if a file that has rows records
   * none (then nothing is known), or if no file has rows.
   *
   * @param folder a table folder on any Hadoop file system
   */
  public static long[] longRange(Configuration conf, String folder, String column)
      throws IOException {
    Path root = new Path(folder);
    FileSystem fs = root.getFileSystem(conf);
    long[] range = null;
    for (FileStatus f : fs.listStatus(root)) {
      String name = f.getPath().getName();
      if (!f.isFile() || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      try (org.apache.parquet.hadoop.ParquetFileReader reader =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(f, conf))) {
        for (var block : reader.getFooter().getBlocks()) {
          if (block.getRowCount() == 0) {
            continue;
          }
          var chunk = block.getColumns().stream()
              .filter(c -> c.getPath().toDotString().equals(column)).findFirst().orElse(null);
          var stats = chunk == null ? null : chunk.getStatistics();
          if (stats == null || stats.isEmpty() || !stats.hasNonNullValue()) {
            return null;
          }
          long min = ((Number) stats.genericGetMin()).longValue();
          long max = ((Number) stats.genericGetMax()).longValue();
          range = range == null ? new long[] {min, max}
              : new long[] {Math.min(range[0], min), Math.max(range[1], max)};
        }
      }
    }
    return range;
  }

  /** Whether {@code path} is a folder with a {@code _SUCCESS} marker. */
  public static boolean isComplete(SparkSession spark, String path) {
    try {
      return fs(spark, path).exists(new Path(path, SUCCESS_MARKER));
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot check for " + SUCCESS_MARKER, e);
    }
  }

  /**
   * Checks that {@code path} is a complete table.
   *
   * @throws InvalidTableException if it does not exist or has no {@code _SUCCESS} marker
   */
  public static void requireComplete(SparkSession spark, String path) {
    try {
      requireComplete(fs(spark, path), path);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot check for " + SUCCESS_MARKER, e);
    }
  }

  /** {@link #requireComplete(SparkSession, String)} on a given file system. */
  static void requireComplete(FileSystem fs, String path) throws IOException {
    Path dir = new Path(path);
    if (!fs.exists(dir)) {
      throw new InvalidTableException(path, "no such table (expected a folder of Parquet files"
          + " with a " + SUCCESS_MARKER + " marker)");
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new InvalidTableException(path, "is a file: expected a table folder of Parquet"
          + " files with a " + SUCCESS_MARKER + " marker");
    }
    if (!fs.exists(new Path(dir, SUCCESS_MARKER))) {
      throw new InvalidTableException(path, "has no " + SUCCESS_MARKER + " marker: the job that"
          + " wrote it did not finish; rerun it");
    }
  }

  /**
   * Runs a Spark read or action on the table at {@code path}, turning a failure into an {@link
   * InvalidTableException} that names the path and the root cause (a corrupt footer, a checksum
   * error, a file that is not Parquet), with Spark's exception as the cause.
   */
  static <T> T readingFailuresNamed(String path, Supplier<T> action) {
    try {
      return action.get();
    } catch (InvalidTableException e) {
      throw e;
    } catch (Exception e) { // Spark rethrows its checked SparkException undeclared
      throw new InvalidTableException(path, "cannot read the Parquet files (" + describeFailure(path, e)
          + "): the table is corrupt or was not written by Ascribe; rerun the job that wrote it",
          e);
    }
  }

  /**
   * Checks, before any expensive work, that a table could be written at {@code path}: the same
   * rules as {@link #write} (nothing but a Parquet table there, and a complete one only with
   * {@code overwrite}).
   *
   * @throws IllegalArgumentException naming the path and the remedy
   */
  public static void requireWritable(SparkSession spark, String path, boolean overwrite) {
    prepareTarget(spark, path, overwrite);
  }

  /**
   * Makes room for a new table at {@code path}; returns whether something is there to replace.
   */
  private static boolean prepareTarget(SparkSession spark, String path, boolean overwrite) {
    try {
      FileSystem fs = fs(spark, path);
      Path dir = new Path(path);
      if (!fs.exists(dir)) {
        return false;
      }
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new IllegalArgumentException(path + ": is a file; refusing to replace it with a"
            + " table: choose another output path");
      }
      for (FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        // Spark's output: part files, _SUCCESS/_temporary/_queries.json and .crc checksums.
        if (!(name.startsWith("part-") || name.startsWith("_") || name.startsWith("."))) {
          throw new IllegalArgumentException(path + ": exists and holds " + name
              + ", which is not part of a Parquet table; refusing to delete it: choose another"
              + " output path");
        }
      }
      if (!overwrite && fs.exists(new Path(dir, SUCCESS_MARKER))) {
        throw new IllegalArgumentException(path + ": a complete table already exists; refusing"
            + " to overwrite it: pass overwrite=true (--set overwrite=true) to replace it");
      }
      // An incomplete table is what a failed job left behind: replacing it is always safe.
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot inspect the output path", e);
    }
  }

  static FileSystem fs(SparkSession spark, String path) throws IOException {
    return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  /**
   * Spark's own message naming the failing file (its first line) and the root cause, e.g.
   * "… reading file file:/…/part-00000-….parquet. Could not read footer …; cause:
   * RuntimeException: footer is too large …".
   */
  static String describeFailure(String path, Throwable e) {
    String folder = new Path(path).getName();
    String naming = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String msg = firstLine(t);
      if (msg.contains(folder + "/part-") || msg.contains(folder + "/")) {
        naming = msg;
      }
      root = t;
    }
    String cause = root.getClass().getSimpleName() + ": " + firstLine(root);
    return naming == null || naming.equals(firstLine(root)) ? cause : naming + "; cause: " + cause;
  }

  private static String firstLine(Throwable t) {
    String msg = t.getMessage();
    return msg == null ? "" : msg.strip().lines().findFirst().orElse("");
  }
}
