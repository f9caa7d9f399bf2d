import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Writes the bad Parquet input tables of bench/probes/bad-inputs.sh into the folder given as the
 * only argument: each breaks one rule of the input-rows format (README, "Your own data"), on MNIST
 * training records 0-199. Run as a single-file program on the Ascribe classpath.
 */
public final class ProbeTables {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    SparkSession spark = SparkSessions.local();
    Dataset rows = Mnist.load(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN).range(0, 200);
    Path good = dir.resolve("good");
    Tables.writeInputRows(spark, rows, good.toString(), true);
    write(spark, withValue(rows, 7, 300, Float.NaN), dir.resolve("nan"));
    write(spark, withValue(rows, 7, 300, Float.POSITIVE_INFINITY), dir.resolve("inf"));
    var table = spark.read().parquet(good.toString());
    table.withColumn("label", functions.col("label").cast("string")).write()
        .parquet(dir.resolve("label-string").toString());
    table.drop("label").write().parquet(dir.resolve("no-label").toString());
    table.withColumn("label", functions.when(functions.col("id").equalTo(7), 12)
        .otherwise(functions.col("label"))).write().parquet(dir.resolve("label-12").toString());
    table.union(table.filter(functions.col("id").equalTo(7))).write()
        .parquet(dir.resolve("duplicate-id").toString());
    table.withColumn("features", functions.when(functions.col("id").equalTo(7),
        functions.slice(functions.col("features"), 1, 10)).otherwise(functions.col("features")))
        .write().parquet(dir.resolve("short-row").toString());
    table.withColumn("features", functions.when(functions.col("id").equalTo(7),
        functions.lit(null)).otherwise(functions.col("features"))).write()
        .parquet(dir.resolve("null-features").toString());
    table.limit(0).write().parquet(dir.resolve("empty").toString());
    Path corrupt = Files.createDirectories(dir.resolve("not-parquet"));
    Files.writeString(corrupt.resolve("part-00000.parquet"), "this is not a Parquet file");
    Files.writeString(corrupt.resolve("_SUCCESS"), "");
    Tables.writeInputRows(spark, rows, dir.resolve("no-success").toString(), true);
    Files.delete(dir.resolve("no-success").resolve("_SUCCESS"));
    spark.stop();
  }

  private static Dataset withValue(Dataset rows, int row, int index, float value) {
    float[] features = new float[rows.size() * rows.dim()];
    rows.copyFeatures(IntStream.range(0, rows.size()).toArray(), features);
    features[row * rows.dim() + index] = value;
    return new Dataset("probe", rows.ids(), features, rows.labels(), rows.dim(),
        rows.numClasses());
  }

  private static void write(SparkSession spark, Dataset rows, Path path) {
    Tables.writeInputRows(spark, rows, path.toString(), true);
  }
}
