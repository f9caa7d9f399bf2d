package dev.ascribe.jobs.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * The {@code img/} folder beside the page: every picture the page shows is a PNG file there,
 * referenced by a relative path, so the page works offline and when the folder is moved.
 */
final class ImageFolder {
  static final String NAME = "img";
  private final Path dir;

  ImageFolder(Path reportDir) throws IOException {
    this.dir = Files.createDirectories(reportDir.resolve(NAME));
  }

  /** Writes {@code image} as {@code name}.png; returns the path the page refers to it by. */
  String write(String name, BufferedImage image) throws IOException {
    Path file = dir.resolve(name + ".png");
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IllegalStateException("no PNG writer in this JVM for " + file);
    }
    return NAME + "/" + file.getFileName();
  }

  /** Copies a PNG written elsewhere (a sweep's plot); returns the page's path to the copy. */
  String copy(String name, Path png) throws IOException {
    Path file = dir.resolve(name + ".png");
    Files.copy(png, file, StandardCopyOption.REPLACE_EXISTING);
    return NAME + "/" + file.getFileName();
  }

  /** Where a name's PNG goes (for charts written by XChart, which takes a path). */
  Path file(String name) {
    return dir.resolve(name + ".png");
  }

  /** The page's path to a file made with {@link #file}. */
  String ref(String name) {
    return NAME + "/" + name + ".png";
  }
}
