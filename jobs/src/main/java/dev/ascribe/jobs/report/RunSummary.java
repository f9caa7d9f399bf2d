package dev.ascribe.jobs.report;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What ran, from the run's {@code _ascribe.json}: setting, method, its options and λ, the inputs,
 * versions and times; and the run's {@code eval/metrics.json}, every value of it.
 */
final class RunSummary {
  private RunSummary() {}

  static void write(Xhtml page, Map<String, Object> record, String recordPath) {
    page.open("section", "id", "run").element("h2", "The run")
        .element("p", "From " + recordPath + ".");
    page.open("table", "class", "summary");
    row(page, "job", record.get("job"));
    row(page, "setting", record.get("setting"));
    row(page, "method", record.get("method"));
    if (record.get("preconditioners") instanceof List<?> kernels && !kernels.isEmpty()) {
      row(page, "λ", lambdas(kernels));
    }
    if (record.get("fingerprint") instanceof Map<?, ?> fingerprint) {
      new TreeMap<>(fingerprint).forEach((k, v) -> row(page, "option " + k, shorten(v)));
    }
    if (record.get("inputs") instanceof Map<?, ?> inputs) {
      inputs.forEach((k, v) -> row(page, "input " + k, v instanceof Map<?, ?> m
          ? m.get("source") + " (" + Numbers.json(m.get("rows")) + " rows)" : v));
    }
    if (record.get("versions") instanceof Map<?, ?> versions) {
      StringBuilder s = new StringBuilder();
      versions.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ')
          .append(v));
      row(page, "versions", s);
    }
    row(page, "started", record.get("start"));
    row(page, "ended", record.get("end"));
    page.close("table").close("section");
  }

  /** Every value of metrics.json, nested keys joined with dots; each cell's id is its key. */
  static void metrics(Xhtml page, Map<String, Object> metrics) {
    page.open("section", "id", "metrics").element("h2", "Metrics")
        .element("p", "From eval/metrics.json.");
    if (metrics.get("lds") instanceof Map<?, ?> lds) {
      page.open("p", "class", "headline").text("LDS ")
          .element("span", Numbers.json(lds.get("mean")), "id", "metric-lds.mean").text(" ± ")
          .element("span", Numbers.json(lds.get("stderr")), "id", "metric-lds.stderr")
          .text(" over " + Numbers.json(lds.get("queries")) + " queries, "
              + Numbers.json(lds.get("models")) + " ground-truth models").close("p");
    }
    if (metrics.get("noisy_auc") instanceof Map<?, ?> noisy) {
      page.open("p", "class", "headline").text("Noisy-label AUC ")
          .element("span", Numbers.json(noisy.get("auc")), "id", "metric-noisy_auc.auc")
          .text(" (" + Numbers.json(noisy.get("flipped")) + " of "
              + Numbers.json(noisy.get("examples")) + " training labels flipped)").close("p");
    }
    // Folded: the headline is what most readers want; <details> needs no script.
    page.open("details").element("summary", "every value of metrics.json")
        .open("table", "class", "summary");
    flatten("", metrics, page);
    page.close("table").close("details").close("section");
  }

  /** Values the headlines show (their ids are taken there). */
  private static final Set<String> HEADLINE = Set.of("lds.mean", "lds.stderr", "noisy_auc.auc");

  private static void flatten(String prefix, Map<?, ?> map, Xhtml page) {
    map.forEach((k, v) -> {
      String key = prefix + k;
      if (v instanceof Map<?, ?> inner) {
        flatten(key + ".", inner, page);
      } else if (!HEADLINE.contains(key)) {
        page.open("tr").element("th", key).element("td", Numbers.json(v), "id", "metric-" + key)
            .close("tr");
      }
    });
  }

  private static String lambdas(List<?> kernels) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    Object option = null;
    for (Object k : kernels) {
      if (k instanceof Map<?, ?> m && m.get("lambda") instanceof Number l) {
        lo = Math.min(lo, l.doubleValue());
        hi = Math.max(hi, l.doubleValue());
        option = m.get("lambda_option");
      }
    }
    if (lo > hi) {
      return "none (this method fits no kernel)";
    }
    String range = lo == hi ? Numbers.score(lo)
        : Numbers.score(lo) + " to " + Numbers.score(hi) + " over " + kernels.size() + " models";
    return range + (option == null ? "" : " (option lambda = " + option + ")");
  }

  private static Object shorten(Object value) {
    if (value instanceof List<?> list && list.size() > 3) {
      return list.size() + " values: " + list.get(0) + ", " + list.get(1) + ", ...";
    }
    return value instanceof Number ? Numbers.json(value) : value;
  }

  private static void row(Xhtml page, String key, Object value) {
    page.open("tr").element("th", key).element("td", String.valueOf(value)).close("tr");
  }
}
