package dev.ascribe.udf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ascribe.core.provenance.Versions;
import dev.ascribe.udf.SharedSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The embedded session's settings and the getOrCreate contract, on the shared session. */
class SparkSessionsTest {
  @Test
  void embeddedSessionIsLocalOnLoopbackWithoutUiOrHive() {
    SparkSession spark = SharedSpark.get();
    SparkConf conf = spark.sparkContext().getConf();
    assertEquals("local[2]", spark.sparkContext().master());
    assertEquals("127.0.0.1", conf.get("spark.driver.host"));
    assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertTrue(spark.sparkContext().uiWebUrl().isEmpty(), "no UI is started");
    assertEquals("false", conf.get("spark.ui.showConsoleProgress"));
    assertEquals("in-memory", conf.get("spark.sql.catalogImplementation"));
    assertEquals("8", spark.conf().get("spark.sql.shuffle.partitions"));
    assertEquals("true",
        spark.sparkContext().hadoopConfiguration()
            .get("mapreduce.fileoutputcommitter.marksuccessfuljobs"));
    assertEquals("1",
        spark.sparkContext().hadoopConfiguration()
            .get("mapreduce.fileoutputcommitter.algorithm.version"));
  }

  @Test
  void registersSparkVersionForProvenance() {
    SparkSession spark = SharedSpark.get();
    assertEquals(spark.version(), Versions.all().get("spark"));
    assertTrue(spark.version().startsWith("4."), spark.version());
  }

  @Test
  void laterCallsReturnTheRunningSession() {
    SparkSession spark = SharedSpark.get();
    assertSame(spark, SparkSessions.embedded(2));
    assertSame(spark, SparkSessions.forMaster("local[2]"));
    assertSame(spark, SparkSessions.local());
  }

  @Test
  void rejectsImpossibleArguments() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SparkSessions.embedded(0));
    assertEquals("Spark cores given 0: must be >= 1 (or use SparkSessions.local() for all)",
        e.getMessage());
    assumeTrue(System.getProperty("spark.master") == null, "spark-submit style master set");
    String msg = assertThrows(IllegalArgumentException.class,
        () -> SparkSessions.forMaster(" ")).getMessage();
    assertTrue(msg.startsWith("no Spark master: pass one"), msg);
  }

  @Test
  void bindsToLoopbackOnlyForLocalAndLoopbackMasters() {
    assertTrue(SparkSessions.isLoopback("local[*]"));
    assertTrue(SparkSessions.isLoopback("local-cluster[2,1,1024]"));
    assertTrue(SparkSessions.isLoopback("spark://127.0.0.1:7077"));
    assertTrue(SparkSessions.isLoopback("spark://localhost:7077"));
    assertFalse(SparkSessions.isLoopback("spark://10.0.0.5:7077"));
    assertFalse(SparkSessions.isLoopback("yarn"));
  }
}
