package dev.ascribe.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sweep's folder ({@code DIR/sweep}, or a copy of one such as {@code bench/lambda/lr-fim}): its
 * plots and its rule table, as {@code ascribe sweep} wrote them.
 */
final class SweepSection {
  static final String PLOT = "lds-vs-lambda.png";

  private SweepSection() {}

  /** The sweep folder of {@code dir}, or null if it has none. */
  static Path find(Path dir) {
    for (Path candidate : List.of(dir.resolve("sweep"), dir)) {
      if (Files.isRegularFile(candidate.resolve(PLOT))) {
        return candidate;
      }
    }
    return null;
  }

  static void write(Xhtml page, ImageFolder images, Path sweep) throws IOException {
    page.open("section", "id", "sweep").element("h2", "Sweep")
        .element("p", "From " + sweep + ".");
    Path table = sweep.resolve("results.md");
    if (Files.isRegularFile(table)) {
      page.element("pre", Files.readString(table, StandardCharsets.UTF_8));
    }
    List<Path> plots;
    try (Stream<Path> files = Files.list(sweep)) {
      plots = files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
    }
    for (Path plot : plots) {
      String name = plot.getFileName().toString();
      page.empty("img", "src", images.copy("sweep-" + name.substring(0, name.length() - 4),
          plot), "alt", "sweep plot " + name, "class", "wide");
    }
    page.close("section");
  }
}
