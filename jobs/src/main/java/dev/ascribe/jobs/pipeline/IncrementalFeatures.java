package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.precondition.GramFit;
import dev.ascribe.core.precondition.ModelFits;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.InputPartitions;
import dev.ascribe.udf.io.InvalidTableException;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
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
import org.apache.spark.sql.functions;
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
  /**
   * New partitions featurized at once (each as its own Spark jobs, of a few tasks): at least this
   * many, or one per core, so that the executors stay busy through each job's serial steps.
   */
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
      StringBuilder text = new StringBuilder();
      manifest.queries().forEach((key, e) -> text.append("query ").append(key).append('\t')
          .append(e.fingerprint()).append('\n'));
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
   * @param queries the query rows
   */
  State update(Map<String, Object> base, String table, int partitionsOption, Queries queries)
      throws IOException {
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
    // Each partition is its own Spark jobs (featurize, Gram sums), several at a time. Entries do
    // not depend on the order.
    int concurrent = Math.max(CONCURRENT_PARTITIONS, spark.sparkContext().defaultParallelism());
    List<PartitionStore.Entry> featurized = IndexedTasks.run(todo.size(),
        Math.min(concurrent, Math.max(1, todo.size())),
        i -> featurize(todo.get(i), table, baseHash, partitionsOption));
    long rowsFeaturized = 0;
    for (int i = 0; i < todo.size(); i++) {
      entries.put(todo.get(i).key(), featurized.get(i));
      rowsFeaturized += featurized.get(i).rows();
    }
    requireUniqueIds(table, entries,
        todo.stream().map(InputPartitions.Partition::key).toList());
    List<String> deleted = new ArrayList<>();
    if (old != null) {
      old.partitions().keySet().stream().filter(k -> !entries.containsKey(k))
          .forEach(deleted::add);
    }
    List<String> queriesFeaturized = new ArrayList<>();
    TreeMap<String, PartitionStore.Entry> queryEntries = queryEntries(
        old != null && rebuilt == null ? old.queries() : Map.of(), baseHash, queries,
        partitionsOption, queriesFeaturized);
    List<String> queriesDropped = old == null ? List.of() : old.queries().keySet().stream()
        .filter(k -> !queryEntries.containsKey(k)).toList();
    boolean changed = old == null || rebuilt != null || !queriesFeaturized.isEmpty()
        || !queriesDropped.isEmpty() || !added.isEmpty() || !changedKeys.isEmpty()
        || !deleted.isEmpty();
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
        entries.values().stream().mapToLong(PartitionStore.Entry::rows).sum(), queriesFeaturized,
        queriesDropped, rebuilt, AttributeJob.since(start));
    history.add(record);
    PartitionStore.Manifest next = new PartitionStore.Manifest(PartitionStore.FORMAT, sequence,
        base, queryEntries, entries, history);
    store.commit(next);
    LOG.info("incremental: increment {} committed: {} added, {} changed, {} deleted, {}"
        + " unchanged partitions; {} rows featurized{}", sequence, added.size(),
        changedKeys.size(), deleted.size(), record.unchanged(), rowsFeaturized,
        (queriesFeaturized.isEmpty() ? "" : "; queries featurized: " + queriesFeaturized)
        + (queriesDropped.isEmpty() ? "" : "; queries dropped: " + queriesDropped));
    return new State(next, true);
  }

  /**
   * Refuses a table whose example ids repeat across partitions (within one input partition,
   * featurizing refuses them), before the manifest is committed, so the increment leaves nothing
   * that looks complete. Only the featurized partitions whose id range overlaps another's are
   * read, with those others: none at all when each day brings higher ids.
   *
   * @param featurized the keys of the partitions this increment featurized
   * @throws InvalidTableException naming the smallest repeated id and its partitions
   */
  private void requireUniqueIds(String table, Map<String, PartitionStore.Entry> entries,
      List<String> featurized) {
    java.util.Set<String> suspects = new java.util.TreeSet<>();
    for (String key : featurized) {
      PartitionStore.Entry e = entries.get(key);
      entries.forEach((other, o) -> {
        if (!other.equals(key) && e.rows() > 0 && o.rows() > 0 && e.mayShareIds(o)) {
          suspects.add(key);
          suspects.add(other);
        }
      });
    }
    org.apache.spark.sql.Dataset<Row> ids = null;
    for (Map.Entry<String, PartitionStore.Entry> e : entries.entrySet()) {
      if (!suspects.contains(e.getKey())) {
        continue;
      }
      var part = ParquetTables.readWritten(spark, TableFormat.FEATURES,
              store.features(e.getValue().id()))
          .filter(functions.col(Columns.MODEL).equalTo(0))
          .select(functions.col(Columns.EXAMPLE_ID), functions.lit(e.getKey()).as("partition"));
      ids = ids == null ? part : ids.union(part);
    }
    if (ids == null) {
      return;
    }
    List<Row> repeated = ids.groupBy(Columns.EXAMPLE_ID)
        .agg(functions.count(functions.lit(1)).as("n"),
            functions.sort_array(functions.collect_list("partition")).as("partitions"))
        .filter(functions.col("n").gt(1)).orderBy(Columns.EXAMPLE_ID).limit(1).collectAsList();
    if (!repeated.isEmpty()) {
      Row r = repeated.get(0);
      throw new InvalidTableException(table, "id=" + r.getLong(0) + " is in partitions "
          + r.getList(2) + ": ids must be unique across the table's partitions (an id names one"
          + " training example); remove the repeated rows, then rerun");
    }
  }

  /** The training features of every stored partition, in ascending key order. */
  org.apache.spark.sql.Dataset<Row> trainFeatures(State state) {
    return stored(state.manifest().partitions(), "scored table", "row to score");
  }

  /** The stored query features of every query partition, in ascending key order. */
  org.apache.spark.sql.Dataset<Row> queryFeatures(State state) {
    return stored(state.manifest().queries(), "query table", "query row");
  }

  /**
   * The stored features of the non-empty entries, one table after the other in key order.
   *
   * @throws IllegalArgumentException naming the table if every entry is empty
   */
  private org.apache.spark.sql.Dataset<Row> stored(Map<String, PartitionStore.Entry> entries,
      String table, String row) {
    org.apache.spark.sql.Dataset<Row> all = null;
    for (PartitionStore.Entry e : entries.values()) {
      if (e.rows() > 0) {
        var part = ParquetTables.readWritten(spark, TableFormat.FEATURES, store.features(e.id()));
        all = all == null ? part : all.union(part);
      }
    }
    if (all == null) {
      throw new IllegalArgumentException(store.root() + ": every partition of the " + table
          + " is empty: expected at least one " + row);
    }
    return all;
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
    long rows = InputPartitions.rows(p, hadoop(spark));
    if (rows == 0) {
      return new PartitionStore.Entry(p.fingerprint(), id, 0);
    }
    writeFeatures(InputSources.files(spark, source, p.files(),
        tasks(partitionsOption, rows)), false, source, id);
    String features = store.features(id);
    if (fitsKernel) {
      try (TrainingBlocks blocks = attribution.decode(
          ParquetTables.read(spark, TableFormat.FEATURES, features))) {
        store.writeGram(id, attribution.gramSums(blocks));
      }
    }
    LOG.info("incremental: featurized partition {} ({} rows)", p.key(), rows);
    // The stored ids' range, from the features files' footers: which partitions the check for
    // repeated ids needs to read.
    long[] ids = ParquetTables.longRange(hadoop(spark), features, Columns.EXAMPLE_ID);
    return new PartitionStore.Entry(p.fingerprint(), id, rows, ids == null ? null : ids[0],
        ids == null ? null : ids[1]);
  }

  /**
   * The query rows of a run: a built-in range, featurized whole when it changes, or a Parquet
   * table, featurized partition by partition like the scored table (new and changed partitions
   * only).
   *
   * @param rows the query rows (a built-in range), or null for a table
   * @param table the query table folder (any Hadoop URI), or null
   * @param description names the rows (a built-in range's description is its key in the store)
   */
  record Queries(Dataset rows, String table, String description) {}

  /**
   * The query entries after this increment: the stored entry of each query partition whose
   * fingerprint is unchanged, else a freshly featurized one (its key added to {@code
   * featurized}).
   *
   * @param reusable the stored query entries that may be reused (none after a rebuild)
   */
  private TreeMap<String, PartitionStore.Entry> queryEntries(
      Map<String, PartitionStore.Entry> reusable, String baseHash, Queries queries,
      int partitionsOption, List<String> featurized) throws IOException {
    TreeMap<String, PartitionStore.Entry> out = new TreeMap<>();
    if (queries.table() == null) {
      String key = queries.description();
      String fingerprint = sha256(baseHash + "\n" + key);
      PartitionStore.Entry before = reusable.get(key);
      if (before != null && before.fingerprint().equals(fingerprint)) {
        out.put(key, before);
        return out;
      }
      String id = "queries-" + fingerprint.substring(0, 24);
      writeFeatures(InputSources.of(spark, queries.rows(), tasks(partitionsOption,
          queries.rows().size())), true, key, id);
      out.put(key, new PartitionStore.Entry(fingerprint, id, queries.rows().size()));
      featurized.add(key);
      return out;
    }
    for (InputPartitions.Partition p : InputPartitions.list(queries.table(), hadoop(spark))) {
      PartitionStore.Entry before = reusable.get(p.key());
      if (before != null && before.fingerprint().equals(p.fingerprint())) {
        out.put(p.key(), before);
        continue;
      }
      String source = "parquet:" + queries.table() + "/" + p.key();
      String id = "queries-" + sha256(baseHash + "\n" + p.key() + "\n" + p.fingerprint())
          .substring(0, 24);
      long rows = InputPartitions.rows(p, hadoop(spark));
      if (rows > 0) {
        writeFeatures(InputSources.files(spark, source, p.files(),
            tasks(partitionsOption, rows)), true, source, id);
      }
      out.put(p.key(), new PartitionStore.Entry(p.fingerprint(), id, rows));
      featurized.add(p.key());
    }
    return out;
  }

  /** Features of {@code rows} written as the store entry {@code id}. */
  private void writeFeatures(org.apache.spark.sql.Dataset<Row> rows, boolean querySide,
      String source, String id) {
    ParquetTables.writePartitioned(attribution.featurize(rows, querySide, source),
        TableFormat.FEATURES, store.features(id), true);
  }

  /** Tasks featurizing one input partition of {@code rows} rows on this session's cores. */
  private int tasks(int partitionsOption, long rows) {
    return Incremental.partitionTasks(spark.sparkContext().defaultParallelism(),
        partitionsOption, rows);
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
