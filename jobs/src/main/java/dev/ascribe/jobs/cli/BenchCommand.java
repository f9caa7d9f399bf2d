package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.bench.Suite;
import dev.ascribe.jobs.bench.SuiteRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ascribe bench --suite NAME --out DIR}: a benchmark suite (every method on its settings,
 * LDS, seconds, peak memory) into {@code DIR/results.json} and {@code DIR/results.md}; or one of
 * the micro-benchmarks as a subcommand.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark suite (--suite " + Suite.NAMES + ") or micro-benchmarks (results"
        + " as JSON).",
    subcommands = {BenchGradsCommand.class, BenchHvpCommand.class, BenchMethodCommand.class})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--suite", paramLabel = "NAME", description = "Suite to run: " + Suite.NAMES
      + ".")
  String suite;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for the suite's results.")
  String out;

  @Option(names = "--reuse", paramLabel = "SETTING=DIR",
      description = "Use DIR's models/ and groundtruth/ for SETTING instead of training them,"
          + " e.g. --reuse mnist-lr=out/demo (repeatable).")
  Map<String, Path> reuse = new LinkedHashMap<>();

  @Option(names = "--only", paramLabel = "NAME", split = ",",
      description = "Run only these settings or method labels (e.g. mnist-lr, IF-CG).")
  List<String> only = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Option for every row.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--heap", defaultValue = "2g",
      description = "Heap of each row's JVM (the budget in README, \"Memory budget\").")
  String heap;

  @Option(names = "--timeout-minutes", defaultValue = "120",
      description = "A row running longer is stopped and reported as timed out.")
  long timeoutMinutes;

  @Option(names = "--parallel-settings", defaultValue = "1",
      description = "Settings run at the same time (each runs its rows one after another).")
  int parallelSettings;

  @Override
  public Integer call() throws Exception {
    if (suite == null) {
      throw new IllegalArgumentException("bench needs --suite NAME (" + Suite.NAMES + ") or a"
          + " subcommand:"
          + " grads, hvp, method");
    }
    if (out == null) {
      throw new IllegalArgumentException("bench --suite needs --out DIR");
    }
    String command = "bin/ascribe bench --suite " + suite + " --out " + out
        + (reuse.isEmpty() ? "" : " " + String.join(" ", reuse.entrySet().stream()
            .map(e -> "--reuse " + e.getKey() + "=" + e.getValue()).toList()))
        + (only.isEmpty() ? "" : " --only " + String.join(",", only))
        + String.join("", sets.stream().map(s -> " --set " + s).toList())
        + (parallelSettings > 1 ? " --parallel-settings " + parallelSettings : "");
    Path folder = OutFolder.local("bench", out);
    List<Map<String, Object>> rows = new SuiteRunner(Suite.load(suite), folder,
        reuse, only, sets, heap, timeoutMinutes, command).run(parallelSettings);
    for (Map<String, Object> r : rows) {
      System.out.println(r.get("setting") + " " + r.get("label") + ": " + r.get("status")
          + (r.get("lds") == null ? "" : " LDS " + r.get("lds")));
    }
    System.out.println("wrote " + folder.resolve("results.json") + " and results.md");
    return 0;
  }
}
