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
    md.append("| setting | method | LDS | ± | GT models | method seconds | peak RSS MiB | status |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      Map<?, ?> lds = r.get("lds") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> seconds = r.get("seconds") instanceof Map<?, ?> m ? m : Map.of();
      md.append("| ").append(r.get("setting")).append(" | ").append(r.get("label"))
          .append(" | ").append(number(lds.get("mean"), "%.3f"))
          .append(" | ").append(number(lds.get("stderr"), "%.3f"))
          .append(" | ").append(number(lds.get("groundtruth_models"), "%.0f"))
          .append(" | ").append(number(seconds.get("method_total"), "%.1f"))
          .append(" | ").append(number(r.get("peak_rss_mib"), "%.0f"))
          .append(" | ").append(r.get("status")).append(" |\n");
    }
    md.append("\nHyperparameters, seconds per step and errors of every row are in results.json;"
        + " each row's command is there too.\n");
    return md.toString();
  }

  private static String number(Object v, String format) {
    return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "–";
  }
}
