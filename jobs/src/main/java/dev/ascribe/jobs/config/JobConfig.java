package dev.ascribe.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.ascribe.core.method.Method;
import dev.ascribe.core.option.OptionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A job's configuration: the reference defaults (every valid key: the reference file's, and each
 * method's own options from the method registry), overridden by a setting file
 * (HOCON, {@code --conf}), overridden by {@code --set key=value} pairs. Unknown keys are rejected
 * with the nearest valid ones, so a typo never silently falls back to a default.
 *
 * <p>Typed getters name the key and the offending value in their errors.
 */
public final class JobConfig {
  /** User-facing keys that are shorthand for a config path ({@code models=10}). */
  private static final Map<String, String> ALIASES = Map.of("models", "models.count");

  private static final String REFERENCE = "ascribe-reference.conf";

  private final Config config;
  private final Config reference;
  private final Set<String> explicitKeys;
  private final String source;

  private JobConfig(Config config, Config reference, Set<String> explicitKeys, String source) {
    this.config = config;
    this.reference = reference;
    this.explicitKeys = explicitKeys;
    this.source = source;
  }

  /**
   * Loads the configuration.
   *
   * @param confFile the setting file, or null for the defaults alone
   * @param overrides {@code key=value} strings from {@code --set}, applied in order
   */
  public static JobConfig load(Path confFile, List<String> overrides) {
    Config reference = ConfigFactory.parseResources(REFERENCE,
        ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(methodOptions());
    Set<String> valid = reference.entrySet().stream().map(Map.Entry::getKey)
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    Set<String> explicit = new TreeSet<>();
    Config file = ConfigFactory.empty();
    String source = "defaults";
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) {
        throw new IllegalArgumentException("--conf " + confFile + ": no such file (settings live in"
            + " conf/, e.g. conf/mnist-lr.conf)");
      }
      try {
        file = ConfigFactory.parseFile(confFile.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new IllegalArgumentException("--conf " + confFile + ": " + e.getMessage(), e);
      }
      for (Map.Entry<String, ConfigValue> e : file.entrySet()) {
        checkKnown(e.getKey(), valid, "--conf " + confFile);
        explicit.add(e.getKey());
      }
      source = confFile.toString();
    }
    Config merged = file.withFallback(reference);
    for (String pair : overrides) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--set " + pair + ": expected key=value, e.g. --set projection.dim=2048");
      }
      String key = ALIASES.getOrDefault(pair.substring(0, eq).trim(), pair.substring(0, eq).trim());
      String value = pair.substring(eq + 1).trim();
      checkKnown(key, valid, "--set");
      merged = merged.withValue(key, parseValue(key, value, reference.getValue(key)));
      explicit.add(key);
    }
    return new JobConfig(merged.resolve(), reference, explicit, source);
  }

  /**
   * Every method's own options ({@code <method>.<option>}) with their defaults, from the method
   * registry, the one place they are declared: the reference file does not restate them. Each
   * default is read as HOCON, so it has the type the file would give it.
   */
  static Config methodOptions() {
    Config options = ConfigFactory.empty();
    for (Method method : Method.values()) {
      for (OptionSpec option : method.options()) {
        ConfigValue value = ConfigFactory.parseString("v = " + option.defaultValue())
            .getValue("v").withOrigin(ConfigOriginFactory.newSimple(
                "method registry: " + method.cliName() + " option " + option.name()));
        options = options.withValue(ConfigUtil.joinPath(method.cliName(), option.name()), value);
      }
    }
    return options;
  }

  private static void checkKnown(String key, Set<String> valid, String where) {
    if (valid.contains(key)) {
      return;
    }
    Set<String> all = new TreeSet<>(valid);
    all.addAll(ALIASES.keySet());
    List<String> near = NearestKeys.of(key, all);
    String hint;
    if (!near.isEmpty()) {
      hint = "did you mean " + String.join(" or ", near) + "?";
    } else if (!NearestKeys.sameSection(key, all).isEmpty()) {
      hint = "the keys of that section are " + String.join(", ", NearestKeys.sameSection(key, all));
    } else {
      hint = "no key is close to it";
    }
    throw new IllegalArgumentException(where + ": unknown key '" + key + "': " + hint
        + " (every option and its default: README, Options)");
  }

  /** Lists are parsed as HOCON ([4, 8]); anything else is kept as a string and converted on use. */
  private static ConfigValue parseValue(String key, String value, ConfigValue reference) {
    if (reference.valueType() == ConfigValueType.LIST) {
      try {
        return ConfigFactory.parseString("v = " + value).getValue("v");
      } catch (ConfigException e) {
        throw new IllegalArgumentException(
            "--set " + key + "=" + value + ": expected a list like [4, 8]", e);
      }
    }
    return ConfigValueFactory.fromAnyRef(value, "--set " + key);
  }

  /** Where the configuration came from (the setting file, or "defaults"). */
  public String source() {
    return source;
  }

  public String getString(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw wrong(key, "a string", e);
    }
  }

  public int getInt(String key) {
    try {
      return config.getInt(key);
    } catch (ConfigException e) {
      throw wrong(key, "a whole number", e);
    }
  }

  public long getLong(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException e) {
      throw wrong(key, "a whole number", e);
    }
  }

  public double getDouble(String key) {
    try {
      return config.getDouble(key);
    } catch (ConfigException e) {
      throw wrong(key, "a number", e);
    }
  }

  public List<Integer> getIntList(String key) {
    try {
      return config.getIntList(key);
    } catch (ConfigException e) {
      throw wrong(key, "a list of whole numbers like [4, 8]", e);
    }
  }

  public List<String> getStringList(String key) {
    try {
      return config.getStringList(key);
    } catch (ConfigException e) {
      throw wrong(key, "a list of names like [gaussian, sjlt]", e);
    }
  }

  private IllegalArgumentException wrong(String key, String expected, ConfigException e) {
    Object value = config.hasPath(key) ? config.getValue(key).unwrapped() : "nothing";
    return new IllegalArgumentException(
        "option " + key + " given " + value + ": expected " + expected + " (" + origin(key) + ")",
        e);
  }

  /**
   * Where the value of {@code key} was given: {@code --set key}, or the setting file and line, or
   * the defaults; so a bad value is blamed on the place that gave it.
   */
  private String origin(String key) {
    if (!config.hasPath(key)) {
      return source;
    }
    String origin = config.getValue(key).origin().description();
    if (origin.startsWith("--set")) {
      return origin;
    }
    return explicitKeys.contains(key) ? origin : "default of " + key;
  }

  /**
   * Every option under {@code prefix} (such as a method's {@code if-cg.*} options) as strings, the
   * prefix removed; empty when the reference declares none.
   */
  public Map<String, String> section(String prefix) {
    Map<String, String> m = new TreeMap<>();
    if (!config.hasPath(prefix)) {
      return m;
    }
    for (Map.Entry<String, ConfigValue> e : config.getConfig(prefix).entrySet()) {
      m.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    return m;
  }

  /** An error for an option whose value is of the right type but not allowed. */
  public IllegalArgumentException invalid(String key, String expected) {
    return new IllegalArgumentException("option " + key + " given "
        + config.getValue(key).unwrapped() + ": " + expected);
  }

  /** Options set by the user (setting file or --set), as key to value. */
  public Map<String, Object> explicitOptions() {
    Map<String, Object> m = new TreeMap<>();
    for (String key : explicitKeys) {
      m.put(key, config.getValue(key).unwrapped());
    }
    return m;
  }

  /** Options left at their reference default, as key to value. */
  public Map<String, Object> defaultedOptions() {
    Map<String, Object> m = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      if (!explicitKeys.contains(e.getKey())) {
        m.put(e.getKey(), config.getValue(e.getKey()).unwrapped());
      }
    }
    return m;
  }

  /** All options with their values (explicit and defaulted), for fingerprints. */
  public Map<String, Object> allOptions() {
    Map<String, Object> m = new LinkedHashMap<>(defaultedOptions());
    m.putAll(explicitOptions());
    return new TreeMap<>(m);
  }
}
