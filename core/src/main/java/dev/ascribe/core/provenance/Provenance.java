package dev.ascribe.core.provenance;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record written as {@code _ascribe.json} beside every output (DESIGN.md, Formats; in the
 * spirit of Tribuo's provenance): what ran, with which options (explicit and defaulted apart),
 * seeds, inputs and their row counts, model hashes, software versions, and when.
 *
 * <p>Build one at the start of a stage, add what the stage learns, and {@link #write} it last, after
 * the outputs are complete: a folder whose {@code _ascribe.json} is missing is not finished.
 */
public final class Provenance {
  /** File name beside each output. */
  public static final String FILE = "_ascribe.json";
  /** Version of this record's layout. */
  public static final int FORMAT_VERSION = 1;

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private final Map<String, Object> record = new LinkedHashMap<>();
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final Map<String, Object> results = new LinkedHashMap<>();

  private Provenance(String job) {
    record.put("format_version", FORMAT_VERSION);
    record.put("job", job);
    record.put("start", Instant.now().toString());
  }

  /** Starts the record of a job (the start time is now). */
  public static Provenance start(String job) {
    return new Provenance(job);
  }

  /** Sets a top-level field ("method", "setting", "projection_dim", ...). */
  public Provenance put(String key, Object value) {
    record.put(key, value);
    return this;
  }

  /** Options as given by the user (conf file or --set) and as defaulted, kept apart. */
  public Provenance options(Map<String, ?> explicit, Map<String, ?> defaulted) {
    record.put("options", Map.of("explicit", new TreeMap<>(explicit),
        "defaulted", new TreeMap<>(defaulted)));
    return this;
  }

  /** Records an input: a path or description and how many rows it had. */
  public Provenance input(String name, String source, long rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("rows", rows);
    inputs.put(name, m);
    return this;
  }

  /** Records a result (a metric, a count, a file). */
  public Provenance result(String key, Object value) {
    results.put(key, value);
    return this;
  }

  /** The record so far, with versions and the end time filled in. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(record);
    m.put("inputs", inputs);
    m.put("results", results);
    m.put("versions", Versions.all());
    m.put("end", Instant.now().toString());
    return m;
  }

  /** Writes {@code dir/_ascribe.json} atomically (temporary file, then a move). */
  public Path write(Path dir) throws IOException {
    write(new LocalFolder(dir));
    return dir.resolve(FILE);
  }

  /**
   * Writes {@code dir/_ascribe.json} atomically (temporary file, then a rename) on the folder's
   * file system.
   */
  public void write(Folder dir) throws IOException {
    byte[] json = GSON.toJson(toMap()).getBytes(StandardCharsets.UTF_8);
    dir.write(FILE, out -> out.write(json));
  }

  /** Reads a provenance record as a map, or null if the folder has none. */
  public static Map<String, Object> read(Path dir) throws IOException {
    return read(new LocalFolder(dir));
  }

  /** Reads a provenance record as a map, or null if the folder has none. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Folder dir) throws IOException {
    if (!dir.exists(FILE)) {
      return null;
    }
    try (InputStream in = dir.open(FILE)) {
      return GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
    }
  }
}
