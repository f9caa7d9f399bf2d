package dev.ascribe.udf.io;

import dev.ascribe.core.storage.Folder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A {@link Folder} on any Hadoop file system ({@code hdfs://}, and object stores such as {@code
 * s3a://} when their connector is on the classpath). {@link Folders#of} makes one for an address
 * that is not on the local disk.
 *
 * <p>An atomic write creates a temporary file beside the target and renames it over the target
 * with {@link FileContext#rename(Path, Path, Options.Rename...)} and {@code OVERWRITE}, which HDFS
 * does atomically. An object store's rename is a copy: there a reader may briefly see no file,
 * which the stores read as "not finished" and recompute.
 */
public final class HadoopFolder implements Folder {
  private final FileSystem fs;
  private final Path path;

  /**
   * @param path the folder (need not exist yet), fully qualified ({@code hdfs://host:port/...})
   * @param conf the Hadoop configuration (e.g. Spark's {@code hadoopConfiguration()})
   * @throws IOException if no file system serves the path's scheme
   */
  public HadoopFolder(Path path, Configuration conf) throws IOException {
    this(path.getFileSystem(conf), path);
  }

  private HadoopFolder(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = fs.makeQualified(path);
  }

  /** The folder's path on its file system. */
  public Path path() {
    return path;
  }

  /** The file system the folder is on. */
  public FileSystem fileSystem() {
    return fs;
  }

  @Override
  public Folder folder(String name) {
    return new HadoopFolder(fs, new Path(path, name));
  }

  @Override
  public boolean exists(String name) throws IOException {
    return fs.exists(new Path(path, name));
  }

  @Override
  public InputStream open(String name) throws IOException {
    try {
      return fs.open(new Path(path, name));
    } catch (FileNotFoundException e) {
      NoSuchFileException missing = new NoSuchFileException(file(name));
      missing.initCause(e);
      throw missing;
    }
  }

  @Override
  public void write(String name, Content content) throws IOException {
    fs.mkdirs(path);
    Path target = new Path(path, name);
    Path tmp = new Path(path, "." + name + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        content.writeTo(out);
      }
      FileContext.getFileContext(fs.getUri(), fs.getConf())
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } finally {
      fs.delete(tmp, false); // only left when writing or renaming failed
    }
  }

  @Override
  public List<String> list() throws IOException {
    if (!fs.exists(path)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(path)) {
      names.add(status.getPath().getName());
    }
    names.sort(null);
    return names;
  }

  @Override
  public String file(String name) {
    return new Path(path, name).toString();
  }

  @Override
  public String uri() {
    return path.toString();
  }

  /** @throws UnsupportedOperationException always: the folder is not on the local disk */
  @Override
  public java.nio.file.Path local() {
    throw new UnsupportedOperationException(path + " is on a Hadoop file system ("
        + path.toUri().getScheme() + "), not on the local disk");
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
