package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.data.SyntheticRows;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code synth}: the input-rows schema, the row count, rows independent of partitioning. */
class SynthCommandTest {
  @TempDir Path dir;

  private Dataset written(String name, String... extra) {
    Path out = dir.resolve(name);
    String[] args = new String[] {"synth", "--rows", "250", "--base", "40", "--seed", "3",
        "--out", out.toString()};
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.Arrays.stream(extra)).toArray(String[]::new);
    assertEquals(0, Main.run(all));
    SparkSession spark = SparkSessions.local();
    assertEquals("struct<id:bigint,features:array<float>,label:int>",
        spark.read().parquet(out.toString()).schema().simpleString(),
        "the input-rows schema of README 'Your own data', as stored");
    return Tables.readCoreDataset(spark, out.toString(), Mnist.NUM_CLASSES);
  }

  @Test
  void writesTheAskedRowsAsNoisyMnistRecordsWhateverThePartitioning() throws Exception {
    Dataset three = written("three", "--partitions", "3");
    Dataset one = written("one", "--partitions", "1");
    assertEquals(250, three.size());
    try (var files = Files.list(dir.resolve("three"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".parquet")).count());
    }
    Dataset mnist = Mnist.loadRange(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN, 0, 40);
    SyntheticRows definition = new SyntheticRows(250, 3, SyntheticRows.DEFAULT_NOISE, 40);
    for (int i = 0; i < 250; i++) {
      assertEquals(i, three.id(i));
      assertEquals(mnist.label(i % 40), three.label(i), "label of row " + i);
      assertArrayEquals(definition.features(i, mnist.features(i % 40)), three.features(i),
          "row " + i);
      assertArrayEquals(one.features(i), three.features(i), "row " + i + " with 1 partition");
    }
  }

  @Test
  void badOptionsAreNamed() {
    assertTrue(BadInputTest.stderrOf("synth", "--rows", "0", "--out", dir.resolve("a")
        .toString()).contains("synthetic table option rows given 0: must be >= 1"));
    assertTrue(BadInputTest.stderrOf("synth", "--rows", "10", "--noise", "-1", "--out",
        dir.resolve("b").toString()).contains("synthetic table option noise given -1.0"));
    assertTrue(BadInputTest.stderrOf("synth", "--rows", "10", "--base", "60001", "--out",
        dir.resolve("c").toString()).contains("synthetic table option base given 60001: must"
        + " be <= 60000"));
    assertTrue(BadInputTest.stderrOf("synth", "--rows", "10", "--partitions", "0", "--out",
        dir.resolve("d").toString()).contains("synth option --partitions given 0"));
  }
}
