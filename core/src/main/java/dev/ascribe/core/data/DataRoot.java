package dev.ascribe.core.data;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves the data root, the folder that holds {@code mnist/}, {@code cifar10/}, ... (DESIGN.md).
 *
 * <p>Order of precedence: the {@code --data} value if given, else the environment variable {@code
 * ASCRIBE_DATA_DIR}, else {@code <project root>/../shared/data}, else {@code <project root>/data}.
 * Relative paths are resolved against the project root, never the working directory, because
 * Maven runs each module's tests from the module's folder.
 *
 * <p>A value the user gave ({@code --data} or the environment variable) must name an existing
 * directory: it is an error rather than a silent fall-through to the defaults, so a typo cannot
 * make a run read different data than the user asked for.
 */
public final class DataRoot {
  /** The command-line option that sets the data root. */
  public static final String OPTION = "--data";

  /** The environment variable that sets the data root when {@code --data} is not given. */
  public static final String ENV = "ASCRIBE_DATA_DIR";

  private static final String HOW =
      "set the data root with " + OPTION + " DIR or the environment variable " + ENV + "=DIR";

  private DataRoot() {}

  /**
   * Resolves the data root using the process environment and {@link ProjectRoot#find()}.
   *
   * @param explicit the {@code --data} value, if given
   * @return the absolute, normalized data root, an existing directory
   * @throws IllegalArgumentException if the chosen candidate does not exist
   */
  public static Path resolve(Optional<String> explicit) {
    // The project root is looked up only when needed, so an absolute --data works from a jar
    // deployed away from the source tree.
    return resolve(explicit, System.getenv(), ProjectRoot::find);
  }

  /**
   * Resolves the data root from explicit inputs (testable without touching the environment).
   *
   * @param explicit the {@code --data} value, if given
   * @param env the environment; only {@code ASCRIBE_DATA_DIR} is read, blank counts as unset
   * @param projectRoot the project root that relative paths and the defaults are resolved against
   * @return the absolute, normalized data root, an existing directory
   * @throws IllegalArgumentException if the chosen candidate does not exist, or no default does
   */
  public static Path resolve(Optional<String> explicit, Map<String, String> env, Path projectRoot) {
    return resolve(explicit, env, () -> projectRoot);
  }

  private static Path resolve(
      Optional<String> explicit, Map<String, String> env, Supplier<Path> projectRoot) {
    if (explicit.isPresent()) {
      return given(OPTION + " given \"" + explicit.get() + "\"", explicit.get(), projectRoot);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return given(ENV + "=\"" + fromEnv + "\"", fromEnv, projectRoot);
    }
    Path root = projectRoot.get().toAbsolutePath().normalize();
    Path shared = root.resolve("../shared/data").normalize();
    Path local = root.resolve("data");
    for (Path candidate : new Path[] {shared, local}) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no data root found: " + OPTION + " not given, " + ENV
        + " not set, and neither default exists: tried " + shared
        + " (<project root>/../shared/data) and " + local + " (<project root>/data) with project"
        + " root " + root + "; " + HOW);
  }

  private static Path given(String source, String value, Supplier<Path> projectRoot) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(source + ": expected a directory path; " + HOW);
    }
    Path path = Path.of(value);
    if (!path.isAbsolute()) {
      path = projectRoot.get().toAbsolutePath().resolve(path);
    }
    path = path.normalize();
    if (!Files.isDirectory(path)) {
      String found = Files.exists(path) ? "is not a directory" : "does not exist";
      throw new IllegalArgumentException(source + ": " + path + " " + found
          + " (relative paths are resolved against the project root): expected the folder that"
          + " holds mnist/, cifar10/, ...; fix the path, or unset it to use the defaults");
    }
    return path;
  }

  /**
   * Checks that a dataset file exists, so a missing file is reported with what it should have
   * been and how to point Ascribe at the data.
   *
   * @param file the expected file
   * @param description what the file is, e.g. "MNIST train images (IDX, train-images.gz)"
   * @throws NoSuchFileException if it does not exist; the message names the full path
   */
  public static void requireFile(Path file, String description) throws NoSuchFileException {
    if (!Files.exists(file)) {
      throw missing(file, description);
    }
  }

  /** The exception {@link #requireFile} throws, for callers that found a file missing otherwise. */
  static NoSuchFileException missing(Path file, String description) {
    return new NoSuchFileException(file.toAbsolutePath().toString(), null,
        "no such file: expected the " + description + " here; " + HOW);
  }
}
