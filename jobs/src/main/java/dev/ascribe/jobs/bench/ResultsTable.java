package dev.ascribe.jobs.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results.md: one table row per (setting, method). */
final class ResultsTable {
  private ResultsTable() {}

  static String markdown(String suite, String commandLine, List<Map<String, Object>> rows) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark suite ").append(suite).append("\n\n");
    md.append("Command: `").append(commandLine).append("`\n\n");
    Map<String, Object> machine = Machine.describe();
    md.append("Machine: ").append(machine.get("cores")).append(" cores, ")
        .append(machine.get("cpu")).append(", ").append(machine.get("memory_gib"))
        .append(" GiB, Java ").append(machine.get("java")).append("\n\n");
    md.append("| setting | method | LDS ± s.e. | published LDS | LOO ± s.e. | noisy-label AUC"
        + " | published AUC | method seconds | peak RSS MiB | status |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      Map<?, ?> lds = r.get("lds") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> loo = r.get("loo") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> auc = r.get("noisy_label_auc") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> published = r.get("published") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> seconds = r.get("seconds") instanceof Map<?, ?> m ? m : Map.of();
      md.append("| ").append(r.get("setting")).append(" | ").append(r.get("label"))
          .append(" | ").append(withError(lds))
          .append(" | ").append(number(published.get("lds"), "%.2f"))
          .append(" | ").append(withError(loo))
          .append(" | ").append(number(auc.get("auc"), "%.3f"))
          .append(" | ").append(number(published.get("auc"), "%.2f"))
          .append(" | ").append(number(seconds.get("method_total"), "%.1f"))
          .append(" | ").append(number(r.get("peak_rss_mib"), "%.0f"))
          .append(" | ").append(r.get("status")).append(" |\n");
    }
    md.append("\nHyperparameters, seconds per step and errors of every row are in results.json;"
        + " each row's command is there too.\n");
    return md.toString();
  }

  private static String withError(Map<?, ?> m) {
    return m.get("mean") instanceof Number mean && m.get("stderr") instanceof Number se
        ? String.format(Locale.ROOT, "%.3f ± %.3f", mean.doubleValue(), se.doubleValue()) : "–";
  }

  private static String number(Object v, String format) {
    return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "–";
  }
}
