package dev.ascribe.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the {@code --out} folder before any work, so an impossible path fails in the first
 * second with what was wrong (a file in the way, a folder that cannot be written) instead of after
 * models are trained, and never with the bare path the operating system reports.
 */
final class OutFolder {
  private OutFolder() {}

  /**
   * Creates {@code folder} and its parents if missing and checks it can be written.
   *
   * @throws IllegalArgumentException naming the folder, the part of its path at fault and why
   */
  static void create(Path folder) {
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
