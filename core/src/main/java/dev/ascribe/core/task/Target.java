package dev.ascribe.core.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The query-side measurements a method can explain, by their command-line names. */
public enum Target {
  /** TRAK's margin log(p_y / (1 - p_y)). */
  MARGIN("margin"),
  /** dattri's negated loss log p_y. */
  NEG_LOSS("neg-loss");

  private final String cliName;

  Target(String cliName) {
    this.cliName = cliName;
  }

  /** The name the command line, the Spark params and provenance write. */
  public String cliName() {
    return cliName;
  }

  /** The model output f whose gradient -∇f(z') is the query side. */
  public ModelOutput output() {
    return ModelOutputs.byName(cliName);
  }

  /** The target written {@code name}, such as {@code neg-loss}. */
  public static Target parse(String name) {
    for (Target t : values()) {
      if (t.cliName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("option target given " + name + ": expected "
        + names(" or "));
  }

  /** Every name, joined by {@code separator}. */
  public static String names(String separator) {
    return Arrays.stream(values()).map(Target::cliName).collect(Collectors.joining(separator));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
