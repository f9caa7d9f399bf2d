package dev.ascribe.jobs.report;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark suite's folder ({@code results.json} of {@code ascribe bench --suite}): LDS against
 * seconds for every method and setting, and the rows behind the chart.
 */
final class BenchSection {
  static final String RESULTS = "results.json";

  private BenchSection() {}

  /** Whether {@code dir} holds a suite's results. */
  static boolean isBench(Path dir) throws IOException {
    Path file = dir.resolve(RESULTS);
    return Files.isRegularFile(file) && results(file).get("rows") instanceof List<?>;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> results(Path file) throws IOException {
    try {
      Map<String, Object> m = new Gson().fromJson(Files.readString(file,
          StandardCharsets.UTF_8), Map.class);
      return m == null ? Map.of() : m;
    } catch (com.google.gson.JsonSyntaxException e) {
      throw new IllegalArgumentException(file + ": not JSON (" + e.getMessage() + ")", e);
    }
  }

  static void write(Xhtml page, ImageFolder images, Path dir) throws IOException {
    Path file = dir.resolve(RESULTS);
    Map<String, Object> results = results(file);
    Map<String, List<Charts.BenchPoint>> points = new LinkedHashMap<>();
    page.open("section", "id", "bench").element("h2", "Benchmark suite " + results.get("suite"))
        .element("p", "From " + file + ". Seconds: the method's own time (cache and"
            + " attribute), as results.md reports it.");
    List<String[]> rows = new ArrayList<>();
    for (Object o : (List<?>) results.get("rows")) {
      Map<?, ?> r = (Map<?, ?>) o;
      Map<?, ?> lds = r.get("lds") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> seconds = r.get("seconds") instanceof Map<?, ?> m ? m : Map.of();
      String setting = String.valueOf(r.get("setting"));
      String label = String.valueOf(r.get("label"));
      if (lds.get("mean") instanceof Number mean
          && seconds.get("method_total") instanceof Number s && s.doubleValue() > 0) {
        points.computeIfAbsent(setting, k -> new ArrayList<>())
            .add(new Charts.BenchPoint(label, s.doubleValue(), mean.doubleValue()));
      }
      rows.add(new String[] {setting, label,
          lds.get("mean") == null ? "–" : Numbers.json(lds.get("mean")) + " ± "
              + Numbers.json(lds.get("stderr")),
          seconds.get("method_total") == null ? "–" : Numbers.json(seconds.get("method_total")),
          String.valueOf(r.get("status"))});
    }
    if (!points.isEmpty()) {
      page.empty("img", "src", Charts.ldsVsSeconds(images, "bench-lds-vs-seconds", points),
          "alt", "LDS against seconds for every method and setting", "class", "wide");
    }
    page.open("table", "class", "summary").open("tr");
    for (String h : new String[] {"setting", "method", "LDS ± s.e.", "method seconds", "status"}) {
      page.element("th", h);
    }
    page.close("tr");
    for (String[] r : rows) {
      page.open("tr", "class", "bench-row");
      for (String cell : r) {
        page.element("td", cell);
      }
      page.close("tr");
    }
    page.close("table").close("section");
  }
}
