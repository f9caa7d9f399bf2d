package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What can be checked without Spark work is checked before any model is trained. */
class EarlyErrorsTest {
  @TempDir Path dir;

  @Test
  void aProjectionTooLargeForItsKernelFailsBeforeTraining() {
    Path out = dir.resolve("run");
    OutFolderTest.Result r = OutFolderTest.run(PipelineCommandsTest.args("attribute", out,
        "--set", "projection.dim=10000000"));
    assertEquals(Main.BAD_INPUT, r.status(), r.err());
    assertEquals("error: option projection.dim given 10000000 for trak: its kernel would be"
        + " 10000000 x 10000000; give projection.dim between 1 and 16384", r.err().strip());
    assertFalse(Files.exists(out.resolve("models")), "no model trained");
    assertTrue(r.seconds() < 10, r.seconds() + " s");
  }

  @Test
  void aScoredTableWithAMistypedColumnFailsBeforeTraining() throws Exception {
    SparkSession spark = SparkSessions.local();
    Path good = dir.resolve("good");
    Tables.writeInputRows(spark, Mnist.load(DataRoot.resolve(Optional.empty()),
        Mnist.Split.TRAIN).range(0, 50), good.toString(), true);
    Path bad = dir.resolve("label-as-string");
    spark.read().parquet(good.toString())
        .withColumn("label", functions.col("label").cast("string"))
        .write().parquet(bad.toString());
    Path out = dir.resolve("run-schema");
    OutFolderTest.Result r = OutFolderTest.run(PipelineCommandsTest.args("attribute", out,
        "--set", "data.scored.path=" + bad));
    assertEquals(Main.BAD_INPUT, r.status(), r.err());
    assertEquals("error: " + bad + ": column 'label' has type string: expected int in an input"
        + " rows table", r.err().strip());
    assertFalse(Files.exists(out.resolve("models")), "no model trained");
  }
}
