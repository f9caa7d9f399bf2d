package dev.ascribe.jobs.pipeline;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.SweepJob.Grid;
import dev.ascribe.jobs.pipeline.SweepJob.Point;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a sweep's results: every point ({@code points.csv}), the rule comparison with each rule's
 * LDS ratio to the best grid LDS ({@code results.md}, {@code results.json}), provenance, and the
 * plots of {@link SweepPlots}.
 */
final class SweepReport {
  private SweepReport() {}

  static void write(Path dir, JobConfig config, Setting setting, Grid grid, List<Point> points,
      Map<String, Object> timing, String defaultRule) throws IOException {
    Files.createDirectories(dir);
    String other = grid.otherName() == null ? "none" : grid.otherName();
    StringBuilder csv = new StringBuilder(other + ",label,lambda_multiple,lds,stderr,xi\n");
    for (Point p : points) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%.6g,%.6f,%.6f,%.4f%n", p.other(), p.label(),
          p.multiple(), p.lds(), p.stderr(), p.xi()));
    }
    Files.writeString(dir.resolve("points.csv"), csv, StandardCharsets.UTF_8);

    List<Map<String, Object>> summaries = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    md.append("| ").append(other).append(" | best λ (LDS) | LDS at λ = 0 |");
    List<String> rules = points.stream().map(Point::label)
        .filter(l -> !l.equals("grid") && !l.equals("zero")).distinct().toList();
    rules.forEach(r -> md.append(' ').append(r).append(r.equals(defaultRule) ? " (default)" : "")
        .append(" |"));
    md.append("\n|").append("---|".repeat(3 + rules.size())).append('\n');
    for (String value : grid.otherValues()) {
      List<Point> mine = points.stream().filter(p -> p.other().equals(value)).toList();
      Point best = mine.stream().filter(p -> p.label().equals("grid"))
          .max((a, b) -> Double.compare(a.lds(), b.lds())).orElseThrow();
      Point zero = mine.stream().filter(p -> p.label().equals("zero")).findFirst().orElseThrow();
      md.append(String.format(Locale.ROOT, "| %s | %.3gx (%.3f) | %.3f |", value,
          best.multiple(), best.lds(), zero.lds()));
      Map<String, Object> s = new LinkedHashMap<>();
      // Numbers stay numbers in the JSON; projection kinds are names.
      s.put(other, other.equals(SweepJob.KIND_AXIS) ? value : Integer.valueOf(value));
      s.put("best_lambda_multiple", best.multiple());
      s.put("best_lds", best.lds());
      s.put("lds_at_zero", zero.lds());
      Map<String, Object> ratios = new LinkedHashMap<>();
      for (String r : rules) {
        Point p = mine.stream().filter(x -> x.label().equals(r)).findFirst().orElseThrow();
        double ratio = p.lds() / best.lds();
        md.append(String.format(Locale.ROOT, " %.2f (%.2gx) |", ratio, p.multiple()));
        ratios.put(r, Map.of("lambda_multiple", p.multiple(), "lds", p.lds(), "ratio", ratio,
            "xi", p.xi()));
      }
      md.append('\n');
      s.put("rules", ratios);
      summaries.add(s);
    }
    Files.writeString(dir.resolve("results.md"), md, StandardCharsets.UTF_8);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("setting", setting.name());
    json.put("method", config.getString("method"));
    json.put("default_rule", defaultRule);
    json.put("summaries", summaries);
    json.put("points", points);
    json.put("seconds", timing);
    Files.writeString(dir.resolve("results.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(json), StandardCharsets.UTF_8);
    SweepPlots.write(dir, setting.name() + " " + config.getString("method"), grid, points,
        defaultRule);
    Provenance.start("sweep").put("setting", setting.name())
        .put("method", config.getString("method")).put("seed", setting.seed())
        .options(config.explicitOptions(), config.defaultedOptions())
        .result("summaries", summaries).result("seconds", timing).write(dir);
  }
}
