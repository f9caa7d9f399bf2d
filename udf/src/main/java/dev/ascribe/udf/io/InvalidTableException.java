package dev.ascribe.udf.io;

/**
 * A table that cannot be used as it is: missing, incomplete (no {@code _SUCCESS} marker), not
 * Parquet or corrupt, with a missing or mistyped column, or with rows that break the format
 * (a wrong array length, a null, a duplicate key).
 *
 * <p>The message always starts with the table's path, then says what was found, what was
 * expected and, where there is one, how to fix it. It is an {@link IllegalArgumentException}
 * because the table is the caller's input.
 */
public class InvalidTableException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * @param path the table (the message is prefixed with it)
   * @param problem what was found, what was expected, and how to fix it
   */
  public InvalidTableException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  /**
   * @param path the table (the message is prefixed with it)
   * @param problem what was found, what was expected, and how to fix it
   * @param cause the lower-level failure (e.g. Spark's footer or checksum error)
   */
  public InvalidTableException(String path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
  }

  /** The table the problem was found in, as given to the reader. */
  public String path() {
    return path;
  }
}
