package dev.ascribe.jobs.cli;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.provenance.Versions;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON report every micro-benchmark writes: its header, its rows, the versions. */
final class BenchReport {
  private BenchReport() {}

  /** A report with the benchmark's name and setting; add fields, then {@link #write}. */
  static Map<String, Object> start(String bench, Setting setting) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("bench", bench);
    report.put("setting", setting.name());
    report.put("architecture", setting.spec().toMap());
    report.put("threads", 1);
    return report;
  }

  /** Writes {@code --out/bench-<name>.json}, or prints the JSON without --out. */
  static void write(CommonOptions common, Map<String, Object> report,
      List<Map<String, Object>> results) throws IOException {
    report.put("results", results);
    report.put("versions", Versions.all());
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    String bench = (String) report.get("bench");
    if (common.out != null) {
      Path file = common.out("bench " + bench).resolve("bench-" + bench + ".json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, json, StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    } else {
      System.out.println(json);
    }
  }
}
