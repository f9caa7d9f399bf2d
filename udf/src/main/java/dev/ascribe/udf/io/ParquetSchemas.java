package dev.ascribe.udf.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Checks a table's completeness, columns and row count from its Parquet footers, without a Spark
 * session: a wrong input table is reported in the first seconds of a run, before Spark starts or
 * any model is trained. The columns are Spark's reading of the footer ({@link ParquetToSparkSchemaConverter}),
 * so the messages are those of {@link TableFormat#checkSchema}.
 */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /**
   * Checks that {@code path} is a complete table with at least one row whose first data file has
   * the columns of {@code format}; every data file's footer is read (its row count), no data.
   *
   * @param conf the Hadoop configuration to reach the file system with
   * @throws InvalidTableException if the table is missing, incomplete or empty, a footer cannot
   *     be read, or a column is missing or mistyped
   */
  public static void check(TableFormat format, String path, Configuration conf) {
    try {
      FileSystem fs = new Path(path).getFileSystem(conf);
      ParquetTables.requireComplete(fs, path);
      java.util.List<FileStatus> files = new java.util.ArrayList<>();
      for (FileStatus f : fs.listStatus(new Path(path))) {
        String name = f.getPath().getName();
        if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(f);
        }
      }
      files.sort(java.util.Comparator.comparing(f -> f.getPath().getName()));
      long rows = 0;
      for (FileStatus file : files) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
          if (file == files.get(0)) {
            // Spark's default reading (SQLConf defaults), as spark.read().parquet gives it.
            format.checkSchema(new ParquetToSparkSchemaConverter(new SQLConf())
                .convert(reader.getFooter().getFileMetaData().getSchema()), path);
          }
          rows += reader.getRecordCount();
        } catch (IOException | RuntimeException e) {
          if (e instanceof InvalidTableException invalid) {
            throw invalid;
          }
          throw new InvalidTableException(path, "cannot read the Parquet footer of "
              + file.getPath().getName() + " (" + e.getMessage() + "): the table is corrupt or"
              + " was not written by Ascribe; rerun the job that wrote it", e);
        }
      }
      if (rows == 0) {
        throw new InvalidTableException(path, "has no rows: expected at least one example");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot list the table", e);
    }
  }
}
