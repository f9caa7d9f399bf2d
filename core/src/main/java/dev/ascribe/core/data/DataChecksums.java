package dev.ascribe.core.data;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.ascribe.core.provenance.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the files of a data root against the {@value #SUMS} file shipped beside them, so a file
 * cut short or damaged anywhere is reported by name, not only when a job reads the damaged part.
 *
 * <p>A file is hashed once: the result is cached by absolute path, size and modification time in a
 * small JSON file ({@code ~/.cache/ascribe/data-sums.json} by default), and a file with the same
 * three is not read again. Files listed but absent are skipped (a data root may hold only some
 * datasets; a job that needs one names it when it is missing). A data root without {@value #SUMS}
 * is not checked.
 */
public final class DataChecksums {
  /** The checksum file: lines of {@code <sha256 hex>  <path relative to the data root>}. */
  public static final String SUMS = "SHA256SUMS";

  private static final Logger LOG = LoggerFactory.getLogger(DataChecksums.class);
  private static final Gson GSON = new Gson();

  private DataChecksums() {}

  /** {@link #verify(Path, Path)} with the default cache in the user's cache folder. */
  public static void verify(Path dataRoot) throws IOException {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cacheDir = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    verify(dataRoot, cacheDir.resolve("ascribe").resolve("data-sums.json"));
  }

  /**
   * Verifies every listed file that exists.
   *
   * @param cache the cache file (created if missing; a cache that cannot be written only costs a
   *     rehash next time)
   * @throws MalformedDataException naming the first damaged file, its size and both hashes, or a
   *     malformed line of {@value #SUMS}
   */
  public static void verify(Path dataRoot, Path cache) throws IOException {
    Path sums = dataRoot.resolve(SUMS);
    if (!Files.isRegularFile(sums)) {
      return;
    }
    Map<String, Map<String, Object>> known = read(cache);
    boolean changed = false;
    int hashed = 0;
    int lineNumber = 0;
    for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+\\*?", 2);
      if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F]{64}")) {
        throw new MalformedDataException(sums, "line " + lineNumber + " is \"" + line
            + "\": expected <64 hex digits>  <file>, as sha256sum writes it");
      }
      Path file = dataRoot.resolve(parts[1]).normalize();
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String expected = parts[0].toLowerCase(java.util.Locale.ROOT);
      long size = Files.size(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      String key = file.toAbsolutePath().toString();
      Map<String, Object> entry = known.get(key);
      if (entry != null && entry.get("size") instanceof Number s && s.longValue() == size
          && entry.get("modified") instanceof Number m && m.longValue() == modified
          && expected.equals(entry.get("sha256"))) {
        continue;
      }
      String actual = Hashes.sha256(file);
      hashed++;
      if (!actual.equals(expected)) {
        throw new MalformedDataException(file, "SHA-256 " + actual + " does not match " + sums
            + " (" + expected + "): the file is damaged or cut short (" + size + " bytes);"
            + " restore it from the source the data README names");
      }
      Map<String, Object> ok = new LinkedHashMap<>();
      ok.put("size", size);
      ok.put("modified", modified);
      ok.put("sha256", actual);
      known.put(key, ok);
      changed = true;
    }
    if (hashed > 0) {
      LOG.info("data: {} file(s) of {} match {}", hashed, dataRoot, SUMS);
    }
    if (changed) {
      write(cache, known);
    }
  }

  private static Map<String, Map<String, Object>> read(Path cache) {
    try {
      if (Files.isRegularFile(cache)) {
        Map<String, Map<String, Object>> m = GSON.fromJson(Files.readString(cache),
            new TypeToken<Map<String, Map<String, Object>>>() {}.getType());
        if (m != null) {
          return new TreeMap<>(m);
        }
      }
    } catch (IOException | RuntimeException e) {
      // A damaged cache only means rehashing: the sums themselves are the authority.
      LOG.info("data: ignoring the unreadable checksum cache {} ({})", cache, e.toString());
    }
    return new TreeMap<>();
  }

  private static void write(Path cache, Map<String, Map<String, Object>> known) {
    try {
      Files.createDirectories(cache.getParent());
      Path tmp = Files.createTempFile(cache.getParent(), ".data-sums", ".tmp");
      Files.writeString(tmp, GSON.toJson(known));
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.info("data: cannot write the checksum cache {} ({}): files are hashed again next time",
          cache, e.toString());
    }
  }
}
