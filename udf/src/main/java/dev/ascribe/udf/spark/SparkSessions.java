package dev.ascribe.udf.spark;

import dev.ascribe.core.provenance.Versions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark sessions Ascribe runs in: embedded ({@code local[n]} / {@code local[*]}, bound to
 * 127.0.0.1, no UI, no Hive) for laptops and tests, or a cluster master named on the command line
 * or supplied by {@code spark-submit}.
 *
 * <p>Every method has {@link SparkSession.Builder#getOrCreate()} semantics: if a session is
 * already active in this JVM it is returned as it is (Spark then applies only runtime SQL
 * settings). A setting given by the user as a system property ({@code spark-submit --conf}) is
 * never overridden; the values below are defaults. Every session's Spark version is registered
 * with {@link Versions} for provenance.
 *
 * <p>Defaults, all masters: {@code spark.app.name=ascribe}, {@code spark.ui.showConsoleProgress=
 * false}, {@code spark.sql.catalogImplementation=in-memory} (no Hive), {@code
 * spark.sql.shuffle.partitions=8} (fixed rather than core-dependent, so shuffles partition alike
 * on every machine), and the v1 {@code FileOutputCommitter} with its {@code _SUCCESS} marker,
 * which {@link dev.ascribe.udf.io.ParquetTables} relies on. Local masters (and masters on
 * 127.0.0.1/localhost) also get {@code spark.driver.host=spark.driver.bindAddress=127.0.0.1} and
 * {@code spark.ui.enabled=false}.
 */
public final class SparkSessions {
  /** Shuffle partitions of every session made here (DESIGN.md: reruns must partition alike). */
  public static final int SHUFFLE_PARTITIONS = 8;

  static final String LOOPBACK = "127.0.0.1";
  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  private SparkSessions() {}

  /**
   * An embedded session with {@code cores} task threads ({@code local[cores]}).
   *
   * @param cores number of concurrent tasks, ≥ 1
   * @throws IllegalArgumentException if cores &lt; 1
   */
  public static SparkSession embedded(int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException(
          "Spark cores given " + cores + ": must be >= 1 (or use SparkSessions.local() for all)");
    }
    return start("local[" + cores + "]");
  }

  /** An embedded session using every core of this machine ({@code local[*]}). */
  public static SparkSession local() {
    return start("local[*]");
  }

  /**
   * A session for {@code master} (e.g. {@code spark://127.0.0.1:7077}, {@code local[4]}). When
   * {@code spark.master} is already configured (spark-submit sets it), that value wins and
   * {@code master} may be null; a different non-null {@code master} is then only logged.
   *
   * @param master a Spark master URL, or null to take the one spark-submit configured
   * @throws IllegalArgumentException if neither {@code master} nor {@code spark.master} is set
   */
  public static SparkSession forMaster(String master) {
    String preset = System.getProperty("spark.master");
    if (preset != null && !preset.isBlank()) {
      if (master != null && !master.isBlank() && !master.equals(preset)) {
        LOG.warn("Spark master {} given, but spark.master is already {}: using {}",
            master, preset, preset);
      }
      return start(preset);
    }
    if (master == null || master.isBlank()) {
      throw new IllegalArgumentException(
          "no Spark master: pass one (e.g. --master local[*] or spark://127.0.0.1:7077) or run"
              + " through spark-submit, which sets spark.master");
    }
    return start(master.trim());
  }

  /** True for masters whose driver must bind to the loopback address. */
  static boolean isLoopback(String master) {
    return master.startsWith("local")
        || master.contains("://127.0.0.1")
        || master.contains("://localhost");
  }

  /** Larger than any file: files are neither split nor packed together when read. */
  static final long WHOLE_FILE = 1L << 50;

  private static SparkSession start(String master) {
    // getOrCreate semantics, but only a new session is announced in the log.
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined() && !running.get().sparkContext().isStopped()) {
      return running.get();
    }
    SparkSession.Builder b = SparkSession.builder();
    if (System.getProperty("spark.master") == null) {
      b.master(master);
    }
    setDefault(b, "spark.app.name", "ascribe");
    setDefault(b, "spark.ui.showConsoleProgress", "false");
    setDefault(b, "spark.sql.catalogImplementation", "in-memory");
    setDefault(b, "spark.sql.shuffle.partitions", Integer.toString(SHUFFLE_PARTITIONS));
    // ParquetTables passes these with every write too; here they also cover other writers.
    setDefault(b, "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "true");
    setDefault(b, "spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "1");
    // One read partition per Parquet file: Spark otherwise packs files into partitions after
    // sorting them by size, so equal-sized files land together in listing order, and sums over a
    // partition (Gram matrices, scores) would change in the last bits from one run to the next.
    setDefault(b, "spark.sql.files.maxPartitionBytes", Long.toString(WHOLE_FILE));
    setDefault(b, "spark.sql.files.openCostInBytes", Long.toString(WHOLE_FILE));
    if (isLoopback(master)) {
      setDefault(b, "spark.driver.host", LOOPBACK);
      setDefault(b, "spark.driver.bindAddress", LOOPBACK);
      setDefault(b, "spark.ui.enabled", "false");
    }
    long t0 = System.nanoTime();
    SparkSession spark = b.getOrCreate();
    LOG.info("Spark {} session on {} ready in {} ms", spark.version(),
        spark.sparkContext().master(), (System.nanoTime() - t0) / 1_000_000);
    Versions.register("spark", spark.version());
    return spark;
  }

  private static void setDefault(SparkSession.Builder b, String key, String value) {
    if (System.getProperty(key) == null) {
      b.config(key, value);
    }
  }
}
