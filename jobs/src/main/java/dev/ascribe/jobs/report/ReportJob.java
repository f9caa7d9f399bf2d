package dev.ascribe.jobs.report;

import dev.ascribe.jobs.pipeline.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * {@code report}: one self-contained page, {@code DIR/report/index.html}, of whatever {@code DIR}
 * holds: a run's scores ({@link RunReport}), a benchmark suite's results ({@link BenchSection}),
 * a sweep's plots ({@link SweepSection}). Pictures are PNG files in {@code report/img/}, referred
 * to by relative paths; no script, no network. The page is XHTML, so any XML parser checks it.
 */
public final class ReportJob {
  static final String STYLE = "body{font-family:sans-serif;margin:1.5em;max-width:1200px}"
      + "h2{border-bottom:1px solid #ccc}th{text-align:left;padding-right:1em}"
      + ".headline{font-size:1.3em}summary{cursor:pointer;color:#555}"
      + "td{padding:1px 8px}table.summary td{font-family:monospace}"
      + "img.digit{image-rendering:pixelated;background:#000}"
      + ".query{border:1px solid #ddd;padding:.5em;margin:1em 0}"
      + ".query-head{display:flex;align-items:center;gap:1em}"
      + ".sides{display:flex;gap:2em;flex-wrap:wrap}caption{font-weight:bold;text-align:left}"
      + "img.wide{max-width:100%}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}";

  private ReportJob() {}

  /**
   * What to report on.
   *
   * @param dir the folder (a run, a benchmark suite's output, or a sweep)
   * @param groundTruth a ground-truth run folder for the per-query LDS, or null
   * @param queries the --queries value, or null for the first three queries
   * @param overrides {@code --set} pairs over the run's recorded options
   * @param dataRoot where the run's data is
   */
  public record Request(Path dir, Path groundTruth, String queries, List<String> overrides,
      Path dataRoot) {}

  /**
   * Writes the page and returns its path.
   *
   * @param spark started only for a run folder (its tables are read through Spark)
   * @throws IllegalArgumentException if {@code dir} holds nothing to report, or --queries or
   *     --groundtruth is given for a folder without scores, or a query id is not the run's
   */
  public static Path write(Request request, Supplier<SparkSession> spark) throws IOException {
    Path dir = request.dir();
    RunFolder run = new RunFolder(dir);
    boolean isRun = RunReport.isRun(run);
    boolean isBench = BenchSection.isBench(dir);
    Path sweep = SweepSection.find(dir);
    if (!isRun && !isBench && sweep == null) {
      throw new IllegalArgumentException("report --out " + dir + ": nothing to report; expected"
          + " a run folder with scores/" + "_ascribe.json (from 'ascribe attribute'), a"
          + " benchmark suite's " + BenchSection.RESULTS + " (from 'ascribe bench --suite') or a"
          + " sweep's " + SweepSection.PLOT + " (from 'ascribe sweep')");
    }
    if (!isRun && (request.queries() != null || request.groundTruth() != null)) {
      throw new IllegalArgumentException("report --out " + dir + ": --queries and --groundtruth"
          + " need a run folder with scores/_ascribe.json, and " + dir + " has none");
    }
    Path reportDir = dir.resolve("report");
    clearImages(reportDir.resolve(ImageFolder.NAME));
    ImageFolder images = new ImageFolder(reportDir);
    Xhtml body = new Xhtml();
    String title = "Ascribe report: " + dir.getFileName();
    if (isRun) {
      RunReport report = new RunReport(run, request.overrides(), request.dataRoot(), spark.get());
      title = "Ascribe report: " + report.title();
      report.write(body, images, request.groundTruth() == null ? null
          : new RunFolder(request.groundTruth()), request.queries());
    }
    if (isBench) {
      BenchSection.write(body, images, dir);
    }
    if (sweep != null) {
      SweepSection.write(body, images, sweep);
    }
    Xhtml page = new Xhtml();
    page.raw("<!DOCTYPE html>\n").open("html", "xmlns", "http://www.w3.org/1999/xhtml", "lang",
        "en").open("head").empty("meta", "charset", "utf-8").element("title", title)
        .element("style", STYLE).close("head").open("body").element("h1", title)
        .element("p", "Folder: " + dir).raw(body.toString()).close("body").close("html");
    Path file = reportDir.resolve("index.html");
    Files.writeString(file, page.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** Pictures of an earlier report would otherwise linger beside the new page. */
  private static void clearImages(Path imageDir) throws IOException {
    if (!Files.isDirectory(imageDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(imageDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) {
        Files.delete(f);
      }
    }
  }
}
