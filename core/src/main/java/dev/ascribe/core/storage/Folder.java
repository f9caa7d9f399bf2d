package dev.ascribe.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder on some file system (it need not exist yet), with the few operations on its files that
 * core's stores need: {@link dev.ascribe.core.model.ModelStore} and {@link
 * dev.ascribe.core.provenance.Provenance}. {@link LocalFolder} is the local disk (java.nio); udf's
 * {@code HadoopFolder} is any Hadoop file system ({@code hdfs://}, object stores).
 *
 * <p>Files are named relative to the folder by one name each ({@code "model.json"}); sub-folders
 * are reached with {@link #folder}. {@link #toString()} is the folder's address as the user would
 * write it (a local path, or a URI), which Spark and Hadoop also accept as a table path.
 */
public interface Folder {
  /** Writes a file's content to a stream (which the folder opens and closes). */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The sub-folder {@code name} (need not exist). */
  Folder folder(String name);

  /** Whether this folder holds a file or folder named {@code name}. */
  boolean exists(String name) throws IOException;

  /**
   * Opens file {@code name} for reading.
   *
   * @throws java.nio.file.NoSuchFileException naming the file if it does not exist
   */
  InputStream open(String name) throws IOException;

  /**
   * Writes file {@code name} atomically, creating this folder if needed: the content goes to a
   * temporary file beside it, which is then renamed over {@code name}, so a reader (or a run that
   * was killed) sees the old file or the new one, never a part of one.
   */
  void write(String name, Content content) throws IOException;

  /** The names of the entries of this folder, sorted; empty if the folder does not exist. */
  List<String> list() throws IOException;

  /** The address of file {@code name} in this folder, for messages. */
  String file(String name);

  /** The address of this folder as a URI ({@code file:/...}, {@code hdfs://...}). */
  String uri();

  /**
   * This folder on the local disk, for the code that works only there (reports, plots).
   *
   * @throws UnsupportedOperationException if the folder is on another file system
   */
  Path local();
}
