import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writes an Ascribe groundtruth table and a scores/full table as NumPy .npy files, so the
 * Python side of bench/peers can compute the LDS of the peers' scores without a Parquet reader
 * (Debian bookworm has no python3-pyarrow). Reads with Ascribe's own table readers.
 *
 * <p>Run as a single-file source program on the jobs classpath (see side_by_side.py):
 * {@code java -cp CP bench/peers/ExportTables.java GROUNDTRUTH_DIR SCORES_FULL_DIR OUT_DIR}.
 * Writes OUT_DIR/gt_subsets.npy (uint8 M x n, 1 where training example i is in subset j, over
 * example ids 0..n-1 of scores/full), OUT_DIR/gt_margin.npy (float64 M x m, [model][query]) and
 * OUT_DIR/ours_scores.npy (float32 n x m, [train][query]); both tables must list the same query
 * ids and the scores the example ids 0..n-1 in order.
 */
public final class ExportTables {
  private ExportTables() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: ExportTables GROUNDTRUTH_DIR SCORES_FULL_DIR OUT_DIR (given " + args.length
              + " arguments)");
    }
    Path out = Files.createDirectories(Path.of(args[2]));
    try (SparkSession spark = SparkSessions.embedded(2)) {
      GroundTruth truth = Tables.readGroundTruth(spark, args[0]);
      FullScores scores = Tables.readScoresFull(spark, args[1]);
      if (!java.util.Arrays.equals(truth.queryIds(), scores.queryIds())) {
        throw new IllegalArgumentException("query ids of " + args[0] + " and " + args[1]
            + " differ: the ground truth must be for the scored queries");
      }
      int n = scores.exampleIds().length;
      for (int i = 0; i < n; i++) {
        if (scores.exampleIds()[i] != i) {
          throw new IllegalArgumentException(args[1] + ": example id " + scores.exampleIds()[i]
              + " at row " + i + ", expected the training ids 0.." + (n - 1) + " in order");
        }
      }
      int models = truth.modelIds().length;
      int m = truth.queryIds().length;
      byte[] subsets = new byte[models * n];
      for (int j = 0; j < models; j++) {
        for (long id : truth.subsets()[j]) {
          subsets[j * n + Math.toIntExact(id)] = 1;
        }
      }
      ByteBuffer margin = ByteBuffer.allocate(models * m * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (double[] row : truth.margin()) {
        for (double v : row) {
          margin.putDouble(v);
        }
      }
      ByteBuffer full = ByteBuffer.allocate(n * m * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] row : scores.scores()) {
        for (float v : row) {
          full.putFloat(v);
        }
      }
      writeNpy(out.resolve("gt_subsets.npy"), "|u1", models, n, subsets);
      writeNpy(out.resolve("gt_margin.npy"), "<f8", models, m, margin.array());
      writeNpy(out.resolve("ours_scores.npy"), "<f4", n, m, full.array());
    }
  }

  /** NumPy format 1.0: magic, header length, a dict literal padded to 64 bytes, the data. */
  private static void writeNpy(Path file, String dtype, int rows, int cols, byte[] data)
      throws IOException {
    String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + rows + ", "
        + cols + "), }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream d = new DataOutputStream(os)) {
      d.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      int len = header.length();
      d.write(len & 0xff);
      d.write(len >>> 8);
      d.write(header.getBytes(StandardCharsets.US_ASCII));
      d.write(data);
    }
  }
}
