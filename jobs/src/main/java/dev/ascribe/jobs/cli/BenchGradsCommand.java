package dev.ascribe.jobs.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ascribe bench grads}: per-example gradient throughput of both gradient methods (the
 * (B, d) matrix formed), and featurization throughput for every projection kind and dimension, in
 * examples per second on ONE thread (PyTorch runs single-threaded; Spark provides the parallelism).
 * Uses the setting's architecture, freshly initialized, on its training rows.
 */
@Command(name = "grads", mixinStandardHelpOptions = true,
    description = "Per-example gradient and featurization throughput per projection kind"
        + " (examples/s, one thread).")
public final class BenchGradsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    int batch = config.getInt("bench.grads.batch");
    int examples = config.getInt("bench.grads.examples");
    if (batch < 1) {
      throw config.invalid("bench.grads.batch", "must be >= 1");
    }
    if (examples < batch) {
      throw config.invalid("bench.grads.examples", "must be >= bench.grads.batch (" + batch + ")");
    }
    Dataset train = setting.trainData();
    List<Map<String, Object>> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        Model net = setting.spec().initialize(manager, setting.seed())) {
      for (PerExampleGradients.Method method : PerExampleGradients.Method.values()) {
        rows.add(timeGradients(net, train, method, batch, examples));
      }
      rows.addAll(FeaturizeBench.run(Checkpoint.of("initialized", net), train, config));
    }
    Map<String, Object> report = BenchReport.start("grads", setting);
    report.put("batch", batch);
    report.put("examples", examples);
    System.out.printf("%-36s %11s %8s   %s%n", "measurement", "examples/s", "seconds",
        "time: inputs / forward+backward / feature map / copy out");
    for (Map<String, Object> r : rows) {
      System.out.printf("%-36s %11.1f %8.3f   %s%n", r.get("name"), r.get("examples_per_second"),
          r.get("seconds"), shares(r.get("phase_shares")));
    }
    double fast = (double) rows.get(0).get("examples_per_second");
    double loop = (double) rows.get(1).get("examples_per_second");
    System.out.printf("tap speed-up over the backward loop: %.1fx%n", fast / loop);
    BenchReport.write(common, report, rows);
    return 0;
  }

  /** A row's phase shares as percentages, e.g. {@code 2% / 20% / 70% / 8%}, or "". */
  private static String shares(Object phases) {
    if (!(phases instanceof Map<?, ?> map)) {
      return "";
    }
    return String.join(" / ", map.values().stream()
        .map(v -> String.format(Locale.ROOT, "%.0f%%", 100 * (double) v)).toList());
  }

  private static Map<String, Object> timeGradients(Model net, Dataset train,
      PerExampleGradients.Method method, int batch, int examples) {
    Timer timer = new Timer();
    for (int pass = 0; pass < 2; pass++) {
      boolean warmup = pass == 0;
      int total = warmup ? batch : examples;
      timer.start();
      for (int from = 0; from < total; from += batch) {
        int[] rows = Inputs.range(from % train.size(), Math.min(from % train.size() + batch,
            train.size()));
        try (NDManager scope = net.manager().newSubManager()) {
          NDArray x = Inputs.features(train, rows, scope);
          PerExampleGradients.compute(method, net, x, train.labels(rows), ModelOutputs.margin())
              .toFloatArray();
        }
      }
      timer.stop(total);
    }
    return timer.row("gradients " + method.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Times the last pass of a measurement (the first one warms up). */
  static final class Timer {
    private long start;
    private double seconds;
    private int examples;

    void start() {
      start = System.nanoTime();
    }

    void stop(int examplesDone) {
      seconds = (System.nanoTime() - start) / 1e9;
      examples = examplesDone;
    }

    Map<String, Object> row(String name) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", name);
      r.put("examples", examples);
      r.put("seconds", seconds);
      r.put("examples_per_second", examples / seconds);
      return r;
    }
  }
}
