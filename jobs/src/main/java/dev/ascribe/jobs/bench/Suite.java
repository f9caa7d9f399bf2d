package dev.ascribe.jobs.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark suite read from {@code bench/<name>-suite.conf} on the classpath: settings (a setting
 * file each) and the methods to run on each, with their options.
 *
 * @param name the suite name
 * @param settings the settings in order
 */
public record Suite(String name, List<Setting> settings) {
  /** The suites shipped in {@code bench/}, as messages and help list them. */
  public static final String NAMES = "mnist, cifar or shakespeare";

  /**
   * @param name the setting's name (folder under the bench output)
   * @param conf the setting file, relative to the project root
   * @param models models the setting's ground truth and methods share (the most any row uses)
   * @param entries the methods
   * @param loo whether to train leave-one-out ground truth too (suite key {@code loo}, default
   *     true; off where 100 retrained models do not fit the machine, with bench.loo = false rows)
   */
  public record Setting(String name, String conf, int models, List<SuiteEntry> entries,
      boolean loo) {}

  /** Loads a suite by name. */
  public static Suite load(String name) {
    String resource = "bench/" + name + "-suite.conf";
    if (Suite.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalArgumentException("--suite given " + name + ": no suite " + resource
          + " (available: " + NAMES + ")");
    }
    try {
      Config c = ConfigFactory.parseResources(resource).resolve();
      List<Setting> settings = new ArrayList<>();
      for (Config s : c.getConfigList("settings")) {
        List<SuiteEntry> entries = new ArrayList<>();
        for (Config e : s.getConfigList("methods")) {
          java.util.Map<String, Double> published = new java.util.TreeMap<>();
          if (e.hasPath("published")) {
            e.getConfig("published").entrySet().forEach(p -> published.put(p.getKey(),
                ((Number) p.getValue().unwrapped()).doubleValue()));
          }
          entries.add(new SuiteEntry(e.getString("label"), e.getString("method"),
              e.hasPath("set") ? e.getStringList("set") : List.of(), published,
              e.hasPath("not_run") ? e.getString("not_run") : ""));
        }
        settings.add(new Setting(s.getString("name"), s.getString("conf"), s.getInt("models"),
            entries, !s.hasPath("loo") || s.getBoolean("loo")));
      }
      return new Suite(name, settings);
    } catch (ConfigException e) {
      throw new IllegalStateException("suite " + resource + " is malformed: " + e.getMessage(), e);
    }
  }
}
