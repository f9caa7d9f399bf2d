package dev.ascribe.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** A {@link Folder} on the local disk, through java.nio. */
public final class LocalFolder implements Folder {
  private final Path path;

  /** @param path the folder (need not exist yet) */
  public LocalFolder(Path path) {
    this.path = path;
  }

  @Override
  public Folder folder(String name) {
    return new LocalFolder(path.resolve(name));
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(path.resolve(name));
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(path.resolve(name));
  }

  @Override
  public void write(String name, Content content) throws IOException {
    Files.createDirectories(path);
    Path tmp = Files.createTempFile(path, "." + name, ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      Files.move(tmp, path.resolve(name), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // only left when writing or moving failed
    }
  }

  @Override
  public List<String> list() throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public String file(String name) {
    return path.resolve(name).toString();
  }

  @Override
  public String uri() {
    return path.toUri().toString();
  }

  @Override
  public Path local() {
    return path;
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
