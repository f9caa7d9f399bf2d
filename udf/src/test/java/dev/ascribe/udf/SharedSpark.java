package dev.ascribe.udf;

import dev.ascribe.udf.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} SparkSession of a test JVM: started by the first test that asks, shared
 * by every test class (surefire runs them all in one forked JVM), stopped at JVM exit. Starting
 * Spark costs seconds, so no test starts or stops its own.
 */
public final class SharedSpark {
  private static SparkSession spark;
  private static long startMillis;

  private SharedSpark() {}

  /** The shared session, started on first use. */
  public static synchronized SparkSession get() {
    if (spark == null) {
      long t0 = System.nanoTime();
      spark = SparkSessions.embedded(2);
      startMillis = (System.nanoTime() - t0) / 1_000_000;
      System.err.println("SharedSpark: local[2] session started in " + startMillis + " ms");
      SparkSession started = spark;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-shared-spark"));
    }
    return spark;
  }

  /** How long the first {@link #get()} took to start Spark, in milliseconds. */
  public static synchronized long startMillis() {
    get();
    return startMillis;
  }
}
