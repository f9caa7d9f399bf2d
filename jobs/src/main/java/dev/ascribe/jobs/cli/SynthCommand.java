package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.data.SyntheticRows;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ascribe synth}: writes a synthetic MNIST-like training table of any size ({@link
 * SyntheticRows}) as Parquet input rows (id, features, label), generated and written by Spark
 * partition by partition, one file each.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = "Write a synthetic MNIST-like input-rows table (id, features, label) of any size"
        + " to --out: MNIST training records plus seeded pixel noise.")
public final class SynthCommand implements Callable<Integer> {
  /** Rows per partition (and file) when --partitions is not given: about 150 MB of features. */
  static final long ROWS_PER_PARTITION = 50_000;

  @Mixin CommonOptions common;

  @Option(names = "--rows", required = true, description = "Number of rows (ids 0 .. rows-1).")
  long rows;

  @Option(names = "--seed", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(names = "--noise", description = "Standard deviation of the noise added to each pixel"
      + " in [0, 1], then clipped (default: ${DEFAULT-VALUE}).")
  double noise = SyntheticRows.DEFAULT_NOISE;

  @Option(names = "--base", description = "Source records: row id uses MNIST training record"
      + " id mod base (default: ${DEFAULT-VALUE}).")
  int base = SyntheticRows.DEFAULT_BASE;

  @Option(names = "--partitions", description = "Spark partitions, one file each (default:"
      + " one per " + ROWS_PER_PARTITION + " rows).")
  Integer partitions;

  @Option(names = "--overwrite", description = "Replace a complete table already at --out.")
  boolean overwrite;

  @Override
  public Integer call() {
    SyntheticRows table = new SyntheticRows(rows, seed, noise, base);
    int parts = partitions != null ? partitions
        : (int) Math.min(Integer.MAX_VALUE, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    if (parts < 1) {
      throw new IllegalArgumentException("synth option --partitions given " + parts
          + ": must be >= 1");
    }
    Path out = common.out("synth");
    String dataRoot = DataRoot.resolve(Optional.ofNullable(common.data)).toAbsolutePath()
        .toString();
    SparkSession spark = common.spark();
    long start = System.nanoTime();
    ParquetTables.writePartitioned(InputSources.synthetic(spark, dataRoot, Mnist.Split.TRAIN,
        table, parts), TableFormat.INPUT_ROWS, out.toString(), overwrite);
    System.out.printf("wrote %d rows (seed %d, noise %s, base %d) in %d files to %s in %.1f s%n",
        rows, seed, noise, base, parts, out, (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
