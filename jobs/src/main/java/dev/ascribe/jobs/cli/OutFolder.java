package dev.ascribe.jobs.cli;

import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import dev.ascribe.udf.io.Folders;
import dev.ascribe.udf.io.HadoopFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsAction;

/**
 * What {@code --out} may name, and making the folder before any work, so an impossible path fails
 * in the first second with what was wrong (a file in the way, a folder that cannot be written, a
 * file system no connector serves) instead of after models are trained, and never with the bare
 * path the operating system reports.
 *
 * <p>Every command takes a local folder or a {@code file:} URI. The commands in {@link
 * #URI_COMMANDS} also take a folder on any Hadoop file system ({@code hdfs://}, object stores
 * whose connector is on the classpath); the others write reports, plots and local files and stop
 * at once when given one.
 */
final class OutFolder {
  /** The commands whose {@code --out} may be on any Hadoop file system. */
  static final Set<String> URI_COMMANDS = Set.of("attribute");

  private OutFolder() {}

  /**
   * The local folder {@code --out} names for {@code command} (absolute).
   *
   * @throws IllegalArgumentException for a URI of another file system, naming the commands that
   *     take one
   */
  static Path local(String command, String given) {
    return Folders.local(given).orElseThrow(() -> new IllegalArgumentException("--out " + given
        + ": " + command + " writes to the local disk only; a Hadoop file system URI is accepted"
        + " by " + String.join(", ", URI_COMMANDS.stream().sorted().toList()) + "; give "
        + command + " a local folder or a file: URI")).toAbsolutePath();
  }

  /**
   * The folder {@code --out} names for {@code command}: local, or for the {@link #URI_COMMANDS}
   * on any Hadoop file system.
   *
   * @param conf the Hadoop configuration, asked for only for a folder that is not local
   * @throws IllegalArgumentException for a URI given to another command, or one whose scheme no
   *     Hadoop file system serves
   */
  static Folder of(String command, String given, Supplier<Configuration> conf) {
    if (!URI_COMMANDS.contains(command) || Folders.local(given).isPresent()) {
      return new LocalFolder(local(command, given));
    }
    try {
      return Folders.of(given, conf);
    } catch (IOException e) {
      throw new IllegalArgumentException("--out " + given + ": no Hadoop file system serves this"
          + " URI (" + e.getMessage() + "): expected a local folder, a file: or hdfs: URI, or an"
          + " object store URI whose Hadoop connector is on the classpath", e);
    }
  }

  /**
   * Creates {@code folder} and its parents if missing and checks it can be written.
   *
   * @throws IllegalArgumentException naming the folder, the part of its path at fault and why
   */
  static void create(Folder folder) {
    if (folder instanceof HadoopFolder remote) {
      create(remote);
    } else {
      create(folder.local());
    }
  }

  private static void create(HadoopFolder folder) {
    try {
      folder.fileSystem().mkdirs(folder.path());
      folder.fileSystem().access(folder.path(), FsAction.WRITE);
    } catch (IOException e) {
      throw new IllegalArgumentException("--out " + folder + ": cannot create or write the run"
          + " folder: " + e.getMessage() + "; choose another --out", e);
    }
  }

  /** {@link #create(Folder)} on the local disk. */
  private static void create(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException("--out " + folder + ": cannot create the run folder: "
          + why(folder, e), e);
    }
    if (!Files.isWritable(folder)) {
      throw new IllegalArgumentException("--out " + folder + ": the folder exists but this user"
          + " cannot write to it: choose another --out");
    }
  }

  /** Why {@code folder} could not be made, from the first part of its path that exists. */
  private static String why(Path folder, Exception e) {
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      return existing + " is a file, not a folder; choose another --out";
    }
    if (existing != null && !Files.isWritable(existing)) {
      return existing + " cannot be written by this user; choose another --out";
    }
    String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
        ? fse.getReason() : e.getClass().getSimpleName();
    boolean virtual = existing != null && (existing.startsWith("/proc") || existing.startsWith("/sys"));
    return "the file system refused (" + reason + ") under " + existing
        + (virtual ? " (a kernel file system that holds no user folders)" : "")
        + "; choose another --out";
  }
}
