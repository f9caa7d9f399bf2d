package dev.ascribe.udf.io;

import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * A folder given as an address: a local path ({@code runs/lr}, {@code /data/x}, a Windows drive
 * {@code C:\x}) or a {@code file:} URI is a {@link LocalFolder} (so local runs write exactly the
 * files they always did, without Hadoop's checksum files); any other URI ({@code hdfs://},
 * {@code s3a://}) is a {@link HadoopFolder}.
 */
public final class Folders {
  private Folders() {}

  /**
   * The local folder an address names (relative paths as given), or empty for a URI of another
   * file system.
   *
   * @throws IllegalArgumentException if the address is neither a path nor a URI
   */
  public static Optional<java.nio.file.Path> local(String address) {
    if (!isUri(address)) {
      return Optional.of(java.nio.file.Path.of(address));
    }
    URI uri = URI.create(address);
    if (uri.getScheme().equals("file")) {
      if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new IllegalArgumentException(address + ": a file: URI needs an absolute path, e.g."
            + " file:/data/runs/nightly");
      }
      return Optional.of(java.nio.file.Path.of(uri.getPath()));
    }
    return Optional.empty();
  }

  /**
   * The folder at {@code address}.
   *
   * @param conf the Hadoop configuration, asked for only if the folder is not local
   * @throws IOException if no Hadoop file system serves the address's scheme
   */
  public static Folder of(String address, Supplier<Configuration> conf) throws IOException {
    Optional<java.nio.file.Path> local = local(address);
    if (local.isPresent()) {
      return new LocalFolder(local.get());
    }
    return new HadoopFolder(new org.apache.hadoop.fs.Path(address), conf.get());
  }

  /**
   * Whether an address is a URI with a scheme ({@code file:}, {@code hdfs:}, ...) rather than a
   * plain path (which includes a Windows drive such as {@code C:}).
   */
  public static boolean isUri(String address) {
    try {
      String scheme = new URI(address).getScheme();
      return scheme != null && scheme.length() > 1;
    } catch (URISyntaxException e) {
      return false; // e.g. a space or a backslash: only a local path has those
    }
  }
}
