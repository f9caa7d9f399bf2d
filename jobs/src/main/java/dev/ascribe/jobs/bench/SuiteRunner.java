package dev.ascribe.jobs.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.provenance.Versions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Suite}: per setting, the shared models and LDS ground truth (trained once, or
 * reused from a run folder), then every method in its own JVM ({@code bench method}); collects
 * {@code results.json} and {@code results.md}. A row whose result exists from the same options is
 * reused, so an interrupted suite resumes.
 */
public final class SuiteRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SuiteRunner.class);

  private final Suite suite;
  private final Path out;
  private final Map<String, Path> reuse;
  private final List<String> only;
  private final List<String> sets;
  private final ChildJvm jvm;
  private final String commandLine;

  /**
   * @param reuse per setting name, a run folder holding {@code models/} and {@code groundtruth/}
   * @param only labels or setting names to run (empty: all)
   * @param sets options added to every row
   */
  public SuiteRunner(Suite suite, Path out, Map<String, Path> reuse, List<String> only,
      List<String> sets, String heap, long timeoutMinutes, String commandLine) {
    this.suite = suite;
    this.out = out;
    this.reuse = reuse;
    this.only = only;
    this.sets = sets;
    this.jvm = new ChildJvm(heap, timeoutMinutes);
    this.commandLine = commandLine;
  }

  /**
   * Runs the suite, the settings on {@code parallelSettings} threads (each runs its rows in
   * order); returns the rows written to results.json, in suite order.
   */
  public List<Map<String, Object>> run(int parallelSettings)
      throws IOException, InterruptedException {
    List<Suite.Setting> chosen = new ArrayList<>();
    for (Suite.Setting setting : suite.settings()) {
      if (setting.entries().stream().anyMatch(e -> selected(setting.name(), e.label()))) {
        chosen.add(setting);
      }
    }
    List<List<Map<String, Object>>> bySetting = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      bySetting.add(java.util.Collections.synchronizedList(new ArrayList<>()));
    }
    IndexedTasks.run(chosen.size(), Math.max(1, parallelSettings), i -> {
      Suite.Setting setting = chosen.get(i);
      try {
        Path shared = prepare(setting);
        for (SuiteEntry entry : setting.entries()) {
          if (selected(setting.name(), entry.label())) {
            bySetting.get(i).add(runEntry(setting, entry, shared));
            write(bySetting);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return null;
    });
    return write(bySetting);
  }

  private boolean selected(String setting, String label) {
    if (only.isEmpty()) {
      return true;
    }
    return only.contains(setting) || (label != null && only.contains(label))
        || (label != null && only.contains(setting + "/" + label));
  }

  /** The folder with the setting's models/ and groundtruth/, made if not reused. */
  private Path prepare(Suite.Setting setting) throws IOException, InterruptedException {
    Path given = reuse.get(setting.name());
    Path dir = given != null ? given.toAbsolutePath() : out.resolve(setting.name()).resolve("shared");
    if (given == null) {
      childOrFail(List.of("train", "--conf", setting.conf(), "--out", dir.toString(), "--set",
          "models=" + setting.models()), dir.resolve("train.log"), "training " + setting.name());
      if (!Files.exists(dir.resolve("groundtruth").resolve("_SUCCESS"))) {
        childOrFail(List.of("groundtruth", "--conf", setting.conf(), "--out", dir.toString()),
            dir.resolve("groundtruth.log"), "ground truth of " + setting.name());
      }
      if (setting.loo() && !Files.exists(dir.resolve("groundtruth-loo").resolve("_SUCCESS"))) {
        childOrFail(List.of("groundtruth", "--conf", setting.conf(), "--out", dir.toString(),
            "--set", "groundtruth.kind=loo", "--set", "models.dir=" + dir.resolve("models")),
            dir.resolve("groundtruth-loo.log"), "LOO ground truth of " + setting.name());
      }
    }
    for (String part : List.of("models", "groundtruth")) {
      if (!Files.isDirectory(dir.resolve(part))) {
        throw new IllegalArgumentException("--reuse " + setting.name() + "=" + dir + ": no "
            + part + "/ folder there (expected a run folder of train and groundtruth)");
      }
    }
    return dir;
  }

  private void childOrFail(List<String> args, Path log, String what)
      throws IOException, InterruptedException {
    ChildJvm.Outcome o = jvm.run(args, log);
    if (o.exitCode() != 0) {
      throw new IllegalStateException(what + " failed (exit " + o.exitCode() + ", log " + log
          + "): " + o.logTail());
    }
  }

  private Map<String, Object> runEntry(Suite.Setting setting, SuiteEntry entry, Path shared)
      throws IOException, InterruptedException {
    Path dir = out.resolve(setting.name()).resolve(slug(entry.label()));
    List<String> args = new ArrayList<>(List.of("bench", "method", "--conf", setting.conf(),
        "--out", dir.toString(), "--groundtruth", shared.toString(),
        "--set", "method=" + entry.method(),
        "--set", "models.dir=" + shared.resolve("models")));
    for (String s : entry.sets()) {
      args.add("--set");
      args.add(s);
    }
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("setting", setting.name());
    row.put("label", entry.label());
    row.put("command", "ascribe " + String.join(" ", args));
    row.put("published", entry.published());
    Path result = dir.resolve("result.json");
    Path recorded = dir.resolve("command.txt");
    if (Files.exists(result) && Files.exists(recorded)
        && Files.readString(recorded).equals(row.get("command"))) {
      LOG.info("bench: {} on {}: reusing {}", entry.label(), setting.name(), result);
      row.put("status", "ok");
      row.putAll(read(result));
      return row;
    }
    Files.deleteIfExists(result);
    LOG.info("bench: {} on {}: running", entry.label(), setting.name());
    ChildJvm.Outcome o = jvm.run(args, dir.resolve("log.txt"));
    row.put("wall_seconds", o.seconds());
    if (o.exitCode() == 0 && Files.exists(result)) {
      Files.writeString(recorded, (String) row.get("command"), StandardCharsets.UTF_8);
      row.put("status", "ok");
      row.putAll(read(result));
    } else {
      row.put("status", o.timedOut() ? "timed out" : "failed (exit " + o.exitCode() + ")");
      row.put("error", o.logTail());
    }
    LOG.info("bench: {} on {}: {}", entry.label(), setting.name(), row.get("status"));
    return row;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path json) throws IOException {
    return new Gson().fromJson(Files.readString(json), Map.class);
  }

  private synchronized List<Map<String, Object>> write(List<List<Map<String, Object>>> bySetting)
      throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (List<Map<String, Object>> part : bySetting) {
      synchronized (part) {
        rows.addAll(part);
      }
    }
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("suite", suite.name());
    report.put("command", commandLine);
    report.put("machine", Machine.describe());
    report.put("versions", Versions.all());
    report.put("rows", rows);
    Files.writeString(out.resolve("results.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(report), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("results.md"), ResultsTable.markdown(suite.name(),
        commandLine, rows), StandardCharsets.UTF_8);
    return rows;
  }

  static String slug(String label) {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }
}
