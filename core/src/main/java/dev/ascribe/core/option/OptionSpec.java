package dev.ascribe.core.option;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One option of a method, as the command line writes it ({@code <method>.<name> = value}). The
 * options class that parses it validates the value; this declaration holds what the user sees.
 *
 * @param name the key without the method prefix, such as {@code iterations}
 * @param type what kind of value it takes
 * @param defaultValue the default, written as the command line would write it
 * @param doc one line saying what it does
 */
public record OptionSpec(String name, Type type, String defaultValue, String doc)
    implements Serializable {

  /** The kinds of option value. */
  public enum Type {
    /** A whole number, such as 100. */
    WHOLE,
    /** A real number, such as 1e-6. */
    NUMBER,
    /** One of a few words, listed in the doc. */
    CHOICE,
    /** One whole number >= 0, or one per layer like 64,32,16. */
    DIMENSIONS
  }

  public OptionSpec {
    if (name == null || name.isEmpty() || defaultValue == null) {
      throw new IllegalArgumentException("option spec given name '" + name + "' and default '"
          + defaultValue + "': both are required");
    }
  }

  /**
   * The given values with every declared default filled in, keys sorted.
   *
   * @param method the method name, the prefix of the keys in messages
   * @param declared the method's options
   * @param given values by key without the prefix
   * @throws IllegalArgumentException for a key that is not declared, naming the valid ones
   */
  public static Map<String, String> withDefaults(String method, List<OptionSpec> declared,
      Map<String, String> given) {
    Map<String, String> filled = new TreeMap<>();
    declared.forEach(o -> filled.put(o.name(), o.defaultValue()));
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!filled.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown option " + method + "." + e.getKey() + ": "
            + method + " takes " + (declared.isEmpty() ? "no options"
                : declared.stream().map(OptionSpec::name).sorted()
                    .collect(Collectors.joining(", "))));
      }
      filled.put(e.getKey(), e.getValue().strip());
    }
    return filled;
  }

  /** The option value of {@link Type#DIMENSIONS} that selects a rule instead of given values. */
  public static final String AUTO = "auto";

  /**
   * A {@link Type#DIMENSIONS} value: {@code 64}, {@code 64,32,16} or {@code [64, 32]}; with
   * {@code allowAuto}, {@value #AUTO} gives null.
   *
   * @throws IllegalArgumentException naming {@code key} and the value, if it is not such a list
   */
  public static int[] parseDimensions(String key, String value, boolean allowAuto) {
    if (allowAuto && AUTO.equalsIgnoreCase(value.strip())) {
      return null;
    }
    String list = value.replace("[", "").replace("]", "").trim();
    try {
      return Arrays.stream(list.split(",")).map(String::trim)
          .mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + " given " + value
          + ": expected a whole number like 64, or one per layer like 64,32,16"
          + (allowAuto ? ", or " + AUTO : ""), e);
    }
  }

  /** Writes dimensions as {@link #parseDimensions} reads them: {@code 64,32}, null as auto. */
  public static String formatDimensions(int[] dims) {
    if (dims == null) {
      return AUTO;
    }
    return Arrays.stream(dims).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }
}
