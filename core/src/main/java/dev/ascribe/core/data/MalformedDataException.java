package dev.ascribe.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that exists but does not hold what its format promises: a wrong magic number, a
 * truncated header or body, trailing bytes, an out-of-range label, or two files that disagree.
 *
 * <p>The message always starts with the file's path and then says what was found and what was
 * expected, e.g. {@code …/train-images-idx3-ubyte.gz: magic number 0x00000801, expected
 * 0x00000803 (IDX unsigned-byte images)}.
 */
public class MalformedDataException extends IOException {
  private static final long serialVersionUID = 1L;

  // A String, not a Path: Path is not Serializable and exceptions are.
  private final String file;

  /**
   * @param file the offending file (the message is prefixed with it)
   * @param problem what was found and what was expected
   */
  public MalformedDataException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file.toString();
  }

  /**
   * @param file the offending file (the message is prefixed with it)
   * @param problem what was found and what was expected
   * @param cause the lower-level failure (e.g. a corrupt gzip stream)
   */
  public MalformedDataException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file.toString();
  }

  /** The file the problem was found in. */
  public Path file() {
    return Path.of(file);
  }
}
