package dev.ascribe.jobs.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.precondition.GramFit;
import dev.ascribe.core.precondition.ModelFits;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an incremental run keeps between runs, in one folder on any Hadoop file system: per input
 * partition its features table ({@code features/<id>/}) and its Gram sums ({@code gram/<id>.bin}),
 * and a manifest naming the partitions those belong to, with their fingerprints and the history
 * of increments.
 *
 * <p>Commit protocol: an increment writes new partition entries under fresh ids, then a new
 * manifest {@code manifest-<sequence>.json} created only if absent; readers take the highest
 * sequence. Anything the newest manifest does not name (the work of a killed increment, the
 * entries of deleted or rewritten partitions) is garbage and removed by the next increment. So a
 * killed increment never leaves anything that looks complete.
 */
final class PartitionStore {
  /** Version of the manifest and Gram files; a store of another version is rebuilt. */
  static final int FORMAT = 2;
  private static final String MANIFEST = "manifest-";
  private static final Logger LOG = LoggerFactory.getLogger(PartitionStore.class);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .setFieldNamingPolicy(com.google.gson.FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .create();

  private final FileSystem fs;
  private final Path root;

  /**
   * One stored input partition.
   *
   * @param fingerprint the input partition's fingerprint when it was featurized
   * @param id the name of its stored entries (unique per key and fingerprint)
   * @param rows its input rows
   * @param minId its smallest example id (null: no rows, or not known)
   * @param maxId its largest example id (null: no rows, or not known)
   */
  record Entry(String fingerprint, String id, long rows, Long minId, Long maxId) {
    /** An entry whose id range is not recorded (queries; empty partitions). */
    Entry(String fingerprint, String id, long rows) {
      this(fingerprint, id, rows, null, null);
    }

    /**
     * Whether this entry and {@code other} may hold a common id: their id ranges overlap, or
     * one of them is not known.
     */
    boolean mayShareIds(Entry other) {
      return minId == null || maxId == null || other.minId == null || other.maxId == null
          || minId <= other.maxId && other.minId <= maxId;
    }
  }

  /**
   * One increment, as the manifest and {@code features/_ascribe.json} record it.
   *
   * @param increment its sequence number (1 for the first)
   * @param finished when its manifest was committed (ISO-8601)
   * @param added partition keys featurized for the first time
   * @param changed partition keys featurized again because their fingerprint changed
   * @param deleted partition keys whose entries were dropped
   * @param unchanged partitions whose stored entries were reused
   * @param rowsFeaturized input rows featurized by this increment
   * @param rows input rows of every partition after it
   * @param queriesFeaturized the query partitions featurized (the key of a built-in range is its
   *     description)
   * @param queriesDropped the query partitions whose entries were dropped (deleted, or a built-in
   *     range that changed)
   * @param rebuilt why every partition was featurized again (the options or models changed), or
   *     null
   * @param seconds how long the featurize stage took
   */
  record Increment(long increment, String finished, List<String> added, List<String> changed,
      List<String> deleted, long unchanged, long rowsFeaturized, long rows,
      List<String> queriesFeaturized, List<String> queriesDropped, String rebuilt,
      double seconds) {
    /** As provenance records it (snake_case keys, no null). */
    Map<String, Object> toMap() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("increment", increment);
      m.put("finished", finished);
      m.put("added", added);
      m.put("changed", changed);
      m.put("deleted", deleted);
      m.put("unchanged", unchanged);
      m.put("rows_featurized", rowsFeaturized);
      m.put("rows", rows);
      m.put("queries_featurized", queriesFeaturized);
      m.put("queries_dropped", queriesDropped);
      if (rebuilt != null) {
        m.put("rebuilt", rebuilt);
      }
      m.put("seconds", seconds);
      return m;
    }
  }

  /**
   * The committed state.
   *
   * @param format {@link #FORMAT}
   * @param sequence the increment that wrote it (1 for the first)
   * @param base the options and models the stored features depend on (the featurize fingerprint
   *     without the input partitions); entries of another base are never reused
   * @param queries query partition key → entry, sorted by key
   * @param partitions input partition key → entry, sorted by key
   * @param history one record per increment, oldest first
   */
  record Manifest(int format, long sequence, Map<String, Object> base,
      TreeMap<String, Entry> queries,
      TreeMap<String, Entry> partitions, List<Increment> history) {}

  PartitionStore(String root, Configuration conf) throws IOException {
    this.root = new Path(root);
    this.fs = this.root.getFileSystem(conf);
  }

  /** The store's folder as given. */
  Path root() {
    return root;
  }

  /** The features table of a partition entry (or of a query partition's entry). */
  String features(String id) {
    return new Path(new Path(root, "features"), id).toString();
  }

  private Path gramFile(String id) {
    return new Path(new Path(root, "gram"), id + ".bin");
  }

  /** The newest committed manifest, or null for an empty store or one of another format. */
  Manifest read() throws IOException {
    Path newest = newestManifest();
    if (newest == null) {
      return null;
    }
    String text;
    try (InputStream in = fs.open(newest)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      // The format first: another format's fields may not even parse as this one's.
      com.google.gson.JsonElement json = com.google.gson.JsonParser.parseString(text);
      com.google.gson.JsonElement format = json.isJsonObject()
          ? json.getAsJsonObject().get("format") : null;
      Manifest m = format != null && format.isJsonPrimitive()
          && format.getAsJsonPrimitive().isNumber() && format.getAsInt() == FORMAT
          ? GSON.fromJson(json, Manifest.class) : null;
      if (m == null || m.partitions() == null || m.queries() == null) {
        LOG.info("incremental: {} is of another format (expected {}); rebuilding the store",
            newest, FORMAT);
        return null;
      }
      return m;
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(newest + ": not a readable manifest (" + e.getMessage()
          + "); delete the folder " + root + " to rebuild it from the inputs", e);
    }
  }

  /**
   * Commits {@code manifest} (its sequence must be one past the newest), then removes what it no
   * longer names.
   *
   * @throws IllegalStateException if another run committed that sequence meanwhile
   */
  void commit(Manifest manifest) throws IOException {
    Path file = new Path(root, String.format("%s%08d.json", MANIFEST, manifest.sequence()));
    fs.mkdirs(root);
    try (OutputStream out = fs.create(file, false)) {
      out.write(GSON.toJson(manifest).getBytes(StandardCharsets.UTF_8));
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new IllegalStateException(file + " exists: another run committed increment "
          + manifest.sequence() + " of this store meanwhile; the run lock should have prevented"
          + " that", e);
    }
    removeUnreferenced(manifest);
  }

  /**
   * Deletes the entries and manifests the committed {@code manifest} does not name (null: the
   * store is empty), left by a killed increment or made obsolete by this one.
   */
  void removeUnreferenced(Manifest manifest) throws IOException {
    Set<String> live = new HashSet<>();
    if (manifest != null) {
      manifest.partitions().values().forEach(e -> live.add(e.id()));
      manifest.queries().values().forEach(e -> live.add(e.id()));
    }
    int removed = 0;
    for (String folder : List.of("features", "gram")) {
      Path dir = new Path(root, folder);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        String id = f.getPath().getName().replaceFirst("\\.bin$", "");
        if (!live.contains(id)) {
          fs.delete(f.getPath(), true);
          removed++;
        }
      }
    }
    Path newest = newestManifest();
    for (FileStatus f : manifests()) {
      if (!f.getPath().equals(newest) || manifest == null) {
        fs.delete(f.getPath(), false);
      }
    }
    if (removed > 0) {
      LOG.info("incremental: removed {} stored entries no longer used under {}", removed, root);
    }
  }

  /** Stores the Gram sums of one partition entry. */
  void writeGram(String id, ModelFits<GramFit, Kernel> sums) throws IOException {
    Path file = gramFile(id);
    fs.mkdirs(file.getParent());
    try (ObjectOutputStream out = new ObjectOutputStream(fs.create(file, true))) {
      out.writeInt(FORMAT);
      out.writeObject(sums);
    }
  }

  /** The stored Gram sums of a partition entry. */
  @SuppressWarnings("unchecked")
  ModelFits<GramFit, Kernel> readGram(String id) throws IOException {
    Path file = gramFile(id);
    try (ObjectInputStream in = new ObjectInputStream(fs.open(file))) {
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IllegalArgumentException(file + ": Gram sums of format " + format + ": expected "
            + FORMAT + "; delete the folder " + root + " to rebuild it from the inputs");
      }
      return (ModelFits<GramFit, Kernel>) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(file + ": not Gram sums written by this version ("
          + e.getMessage() + "); delete the folder " + root + " to rebuild it", e);
    }
  }

  private List<FileStatus> manifests() throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (!fs.exists(root)) {
      return out;
    }
    for (FileStatus f : fs.listStatus(root)) {
      String name = f.getPath().getName();
      if (name.startsWith(MANIFEST) && name.endsWith(".json")) {
        out.add(f);
      }
    }
    out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return out;
  }

  private Path newestManifest() throws IOException {
    List<FileStatus> all = manifests();
    return all.isEmpty() ? null : all.get(all.size() - 1).getPath();
  }
}
