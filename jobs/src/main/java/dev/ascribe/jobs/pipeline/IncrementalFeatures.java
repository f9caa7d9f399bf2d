package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.precondition.GramFit;
import dev.ascribe.core.precondition.ModelFits;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import dev.ascribe.udf.io.InputPartitions;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The featurize stage of {@code attribute.incremental = true} (README "Scheduled runs"): the scored
 * table's partitions ({@link InputPartitions}) are compared with those of the last increment
 * ({@link PartitionStore}); only new or changed partitions are featurized, each with its own Gram
 * sums Σ φ φᵀ; the stored entries of deleted or rewritten partitions are dropped; the kernel is
 * the sum of the stored Gram sums merged in ascending partition key order. The same final table
 * thus gives the same bits whatever history of increments led to it.
 */
final class IncrementalFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(IncrementalFeatures.class);
  /** New partitions featurized at once (each as its own Spark jobs). */
  static final int CONCURRENT_PARTITIONS = 2;

  private final SparkSession spark;
  private final SparkAttribution attribution;
  private final PartitionStore store;
  private final boolean fitsKernel;

  /**
   * @param store the store's folder on any Hadoop file system
   * @param fitsKernel whether the method's preconditioner is a feature kernel (Gram sums are
   *     stored per partition) or none
   */
  IncrementalFeatures(SparkSession spark, SparkAttribution attribution, String store,
      boolean fitsKernel) throws IOException {
    this.spark = spark;
    this.attribution = attribution;
    this.store = new PartitionStore(store, hadoop(spark));
    this.fitsKernel = fitsKernel;
  }

  /**
   * The state after an increment.
   *
   * @param manifest the committed manifest
   * @param changed whether this run featurized or dropped anything (false: nothing to do)
   */
  record State(PartitionStore.Manifest manifest, boolean changed) {
    /** A fingerprint of every input partition and the queries, for the later stages' records. */
    String inputs() {
      StringBuilder text = new StringBuilder(manifest.queries().fingerprint());
      manifest.partitions().forEach((key, e) -> text.append('\n').append(key).append('\t')
          .append(e.fingerprint()));
      return sha256(text.toString());
    }
  }

  /**
   * Brings the store up to date with the scored table and the queries, and commits the manifest.
   *
   * @param base what the features depend on besides the rows (method options, models, ...)
   * @param table the scored table folder (any Hadoop URI)
   * @param partitionsOption the {@code partitions} option (0: a rule of each partition's rows)
   * @param queries the query rows, featurized again whenever {@code queriesKey} changes
   * @param queriesKey describes the query rows (with their table's fingerprint if any)
   */
  State update(Map<String, Object> base, String table, int partitionsOption, Dataset queries,
      String queriesKey) throws IOException {
    long start = System.nanoTime();
    PartitionStore.Manifest old = store.read();
    // What a killed increment left is not named by the manifest: removed before anything new.
    store.removeUnreferenced(old);
    TreeMap<String, PartitionStore.Entry> reusable = new TreeMap<>();
    String rebuilt = null;
    if (old != null) {
      rebuilt = StageRecord.difference(old.base(), base);
      if (rebuilt == null) {
        reusable.putAll(old.partitions());
      } else {
        LOG.info("incremental: featurizing every partition again ({})", rebuilt);
      }
    }
    String baseHash = sha256(new com.google.gson.Gson().toJson(new TreeMap<>(base)));
    List<InputPartitions.Partition> now = InputPartitions.list(table, hadoop(spark));
    TreeMap<String, PartitionStore.Entry> entries = new TreeMap<>();
    List<String> added = new ArrayList<>();
    List<String> changedKeys = new ArrayList<>();
    List<InputPartitions.Partition> todo = new ArrayList<>();
    for (InputPartitions.Partition p : now) {
      PartitionStore.Entry before = reusable.get(p.key());
      if (before != null && before.fingerprint().equals(p.fingerprint())) {
        entries.put(p.key(), before);
        continue;
      }
      (old != null && old.partitions().containsKey(p.key()) ? changedKeys : added).add(p.key());
      todo.add(p);
    }
    // Each partition is its own Spark jobs (count, featurize, Gram sums); two at a time keep the
    // executors busy through each job's serial steps. Entries do not depend on the order.
    List<PartitionStore.Entry> featurized = IndexedTasks.run(todo.size(),
        Math.min(CONCURRENT_PARTITIONS, Math.max(1, todo.size())),
        i -> featurize(todo.get(i), table, baseHash, partitionsOption));
    long rowsFeaturized = 0;
    for (int i = 0; i < todo.size(); i++) {
      entries.put(todo.get(i).key(), featurized.get(i));
      rowsFeaturized += featurized.get(i).rows();
    }
    List<String> deleted = new ArrayList<>();
    if (old != null) {
      old.partitions().keySet().stream().filter(k -> !entries.containsKey(k))
          .forEach(deleted::add);
    }
    String queriesFingerprint = sha256(baseHash + "\n" + queriesKey);
    PartitionStore.Entry queryEntry = old != null && rebuilt == null && old.queries() != null
        && old.queries().fingerprint().equals(queriesFingerprint) ? old.queries() : null;
    boolean newQueries = queryEntry == null;
    if (newQueries) {
      queryEntry = featurizeQueries(queries, queriesFingerprint, partitionsOption);
    }
    boolean changed = old == null || rebuilt != null || newQueries || !added.isEmpty()
        || !changedKeys.isEmpty() || !deleted.isEmpty();
    if (!changed) {
      String finished = old.history().isEmpty() ? "?"
          : old.history().get(old.history().size() - 1).finished();
      LOG.info("incremental: nothing changed since increment {} (finished {}): {} partitions,"
          + " queries unchanged; nothing to do", old.sequence(), finished, entries.size());
      return new State(old, false);
    }
    long sequence = old == null ? 1 : old.sequence() + 1;
    List<PartitionStore.Increment> history = new ArrayList<>(
        old == null ? List.of() : old.history());
    PartitionStore.Increment record = new PartitionStore.Increment(sequence,
        Instant.now().toString(), added, changedKeys, deleted,
        entries.size() - added.size() - changedKeys.size(), rowsFeaturized,
        entries.values().stream().mapToLong(PartitionStore.Entry::rows).sum(), newQueries,
        rebuilt, AttributeJob.since(start));
    history.add(record);
    PartitionStore.Manifest next = new PartitionStore.Manifest(PartitionStore.FORMAT, sequence,
        base, queryEntry, entries, history);
    store.commit(next);
    LOG.info("incremental: increment {} committed: {} added, {} changed, {} deleted, {}"
        + " unchanged partitions; {} rows featurized{}", sequence, added.size(),
        changedKeys.size(), deleted.size(), record.unchanged(), rowsFeaturized,
        newQueries ? "; queries featurized" : "");
    return new State(next, true);
  }

  /** The training features of every stored partition, in ascending key order. */
  org.apache.spark.sql.Dataset<Row> trainFeatures(State state) {
    org.apache.spark.sql.Dataset<Row> all = null;
    for (PartitionStore.Entry e : state.manifest().partitions().values()) {
      if (e.rows() == 0) {
        continue;
      }
      var part = ParquetTables.read(spark, TableFormat.FEATURES, store.features(e.id()));
      all = all == null ? part : all.union(part);
    }
    if (all == null) {
      throw new IllegalArgumentException(store.root() + ": every partition of the scored table"
          + " is empty: expected at least one row to score");
    }
    return all;
  }

  /** The stored query features. */
  org.apache.spark.sql.Dataset<Row> queryFeatures(State state) {
    return ParquetTables.read(spark, TableFormat.FEATURES,
        store.features(state.manifest().queries().id()));
  }

  /**
   * The kernels F_c = (1/n) Σ_p G_{c,p}: the stored Gram sums of every non-empty partition merged
   * in ascending key order (the canonical order, so the bits do not depend on the history).
   */
  List<Kernel> kernels(State state) throws IOException {
    ModelFits<GramFit, Kernel> total = null;
    for (PartitionStore.Entry e : state.manifest().partitions().values()) {
      if (e.rows() > 0) {
        ModelFits<GramFit, Kernel> sums = store.readGram(e.id());
        total = total == null ? sums : total.merge(sums);
      }
    }
    if (total == null) {
      throw new IllegalArgumentException(store.root() + ": no stored Gram sums: every partition"
          + " of the scored table is empty");
    }
    return total.finish();
  }

  /** Featurizes one input partition (and fits its Gram sums) under a fresh entry. */
  private PartitionStore.Entry featurize(InputPartitions.Partition p, String table,
      String baseHash, int partitionsOption) throws IOException {
    String source = "parquet:" + table + "/" + p.key();
    String id = sha256(baseHash + "\n" + p.key() + "\n" + p.fingerprint()).substring(0, 24);
    long rows = Tables.readInputFiles(spark, source, p.files()).count();
    if (rows == 0) {
      return new PartitionStore.Entry(p.fingerprint(), id, 0);
    }
    int tasks = partitionsOption > 0 ? partitionsOption : dev.ascribe.jobs.config.Setting
        .defaultPartitions(spark.sparkContext().defaultParallelism(), rows);
    String features = store.features(id);
    ParquetTables.writePartitioned(attribution.featurize(
        InputSources.files(spark, source, p.files(), tasks), false, source),
        TableFormat.FEATURES, features, true);
    if (fitsKernel) {
      try (TrainingBlocks blocks = attribution.decode(
          ParquetTables.read(spark, TableFormat.FEATURES, features))) {
        store.writeGram(id, attribution.gramSums(blocks));
      }
    }
    LOG.info("incremental: featurized partition {} ({} rows)", p.key(), rows);
    return new PartitionStore.Entry(p.fingerprint(), id, rows);
  }

  private PartitionStore.Entry featurizeQueries(Dataset queries, String fingerprint,
      int partitionsOption) {
    String id = "queries-" + fingerprint.substring(0, 24);
    int tasks = Math.max(1, Math.min(partitionsOption > 0 ? partitionsOption
        : 2 * spark.sparkContext().defaultParallelism(), queries.size()));
    ParquetTables.writePartitioned(attribution.featurize(InputSources.of(spark, queries, tasks),
        true, queries.name()), TableFormat.FEATURES, store.features(id), true);
    return new PartitionStore.Entry(fingerprint, id, queries.size());
  }

  private static Configuration hadoop(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java SE has", e);
    }
  }
}
