package dev.ascribe.jobs.pipeline;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.storage.Folder;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarting a run (DESIGN.md): a stage folder whose {@code _ascribe.json} records the same inputs
 * and options (its fingerprint) is reused; any difference is recomputed and the log says what
 * changed. The record is written last, after the stage's outputs are complete, so a stage that died
 * half-way is recomputed.
 */
final class StageRecord {
  private static final Logger LOG = LoggerFactory.getLogger(StageRecord.class);
  static final String FIELD = "fingerprint";

  private StageRecord() {}

  /** Null if {@code dir} holds a finished stage with this fingerprint, else why not. */
  static String whyRecompute(Folder dir, Map<String, Object> fingerprint) throws IOException {
    Map<String, Object> record = Provenance.read(dir);
    if (record == null) {
      return "no finished output in " + dir;
    }
    Object stored = record.get(FIELD);
    if (!(stored instanceof Map<?, ?> old)) {
      return "the earlier output in " + dir + " records no fingerprint";
    }
    return difference(old, fingerprint);
  }

  /**
   * Null if a stored fingerprint (as JSON gave it back) equals {@code fingerprint}, else the
   * first key that differs, with both values.
   */
  static String difference(Map<?, ?> old, Map<String, Object> fingerprint) {
    Map<String, Object> now = normalize(fingerprint);
    TreeSet<String> keys = new TreeSet<>(now.keySet());
    for (Object k : old.keySet()) {
      keys.add(String.valueOf(k));
    }
    for (String key : keys) {
      Object before = old.get(key);
      Object after = now.get(key);
      if (!Objects.equals(before, after)) {
        return key + " changed from " + shorten(before) + " to " + shorten(after);
      }
    }
    return null;
  }

  /** Decides and logs: true to reuse the stage's output. */
  static boolean reuse(String stage, Folder dir, Map<String, Object> fingerprint)
      throws IOException {
    String why = whyRecompute(dir, fingerprint);
    if (why == null) {
      LOG.info("{}: reusing {} (same inputs and options)", stage, dir);
      return true;
    }
    LOG.info("{}: computing ({})", stage, why);
    return false;
  }

  /** The fingerprint as JSON would give it back (numbers as doubles, sorted keys). */
  private static Map<String, Object> normalize(Map<String, Object> fingerprint) {
    Gson gson = new Gson();
    return gson.fromJson(gson.toJson(new TreeMap<>(fingerprint)),
        new TypeToken<Map<String, Object>>() {}.getType());
  }

  private static String shorten(Object value) {
    String text = String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
