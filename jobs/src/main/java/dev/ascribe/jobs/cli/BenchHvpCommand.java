package dev.ascribe.jobs.cli;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.HessianVectorProduct;
import dev.ascribe.core.ihvp.ExplicitInverse;
import dev.ascribe.core.ihvp.HessianCurvature;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ascribe bench hvp}: Hessian-vector product throughput over the setting's training rows
 * for several numbers of directions per pass, and, for models small enough, the time to assemble
 * and factor the explicit Hessian. One thread; JSON beside the printed table.
 */
@Command(name = "hvp", mixinStandardHelpOptions = true,
    description = "Hessian-vector product throughput and explicit-Hessian cost (one thread).")
public final class BenchHvpCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    List<Integer> blocks = config.getIntList("bench.hvp.directions");
    if (blocks.isEmpty() || blocks.stream().anyMatch(b -> b < 1)) {
      throw config.invalid("bench.hvp.directions", "expected a list of whole numbers >= 1");
    }
    Dataset train = setting.trainData();
    int[] rows = Inputs.range(0, train.size());
    Checkpoint cp;
    try (NDManager manager = NDManager.newBaseManager();
        Model net = setting.spec().initialize(manager, setting.seed())) {
      cp = Checkpoint.of("bench", net);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    System.out.printf("%-40s %10s %16s%n", "measurement", "seconds", "HVPs/s (full n)");
    for (int b : blocks) {
      HessianVectorProduct.Options options = new HessianVectorProduct.Options(
          HessianVectorProduct.Options.defaults().dataType(),
          HessianVectorProduct.Options.defaults().batchSize(), b);
      try (HessianVectorProduct hvp = new HessianVectorProduct(cp, train, rows, options)) {
        double[][] v = directions(b, hvp.dim());
        hvp.apply(v);
        long start = System.nanoTime();
        hvp.apply(v);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", "hvp " + b + " directions per pass");
        r.put("directions", b);
        r.put("rows", rows.length);
        r.put("seconds", seconds);
        r.put("hvps_per_second", b / seconds);
        results.add(r);
        System.out.printf("%-40s %10.3f %16.2f%n", r.get("name"), seconds, b / seconds);
      }
    }
    int d = setting.spec().numParameters();
    int maxDim = Integer.parseInt(config.section("if-explicit").get("max-dim"));
    if (d <= maxDim) {
      int widest = blocks.stream().mapToInt(Integer::intValue).max().orElseThrow();
      HessianVectorProduct.Options options = new HessianVectorProduct.Options(
          HessianVectorProduct.Options.defaults().dataType(),
          HessianVectorProduct.Options.defaults().batchSize(), widest);
      try (HessianVectorProduct hvp = new HessianVectorProduct(cp, train, rows, options)) {
        Map<String, Object> state = ExplicitInverse.fit(new HessianCurvature(hvp, rows,
            rows.length, 0), 0.01, maxDim).describe();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", "explicit Hessian d = " + d);
        r.put("directions_per_pass", widest);
        r.put("assemble_seconds", state.get("assemble_seconds"));
        r.put("factor_seconds", state.get("factor_seconds"));
        results.add(r);
        System.out.printf("%-40s %10.3f%n", "explicit: assemble " + d + " x " + d,
            (double) state.get("assemble_seconds"));
        System.out.printf("%-40s %10.3f%n", "explicit: Cholesky of H + λI",
            (double) state.get("factor_seconds"));
      }
    }
    Map<String, Object> report = BenchReport.start("hvp", setting);
    report.put("rows", rows.length);
    BenchReport.write(common, report, results);
    return 0;
  }

  private static double[][] directions(int b, int d) {
    SplittableRandom rng = new SplittableRandom(0);
    double[][] v = new double[b][d];
    for (double[] row : v) {
      for (int i = 0; i < d; i++) {
        row[i] = rng.nextGaussian();
      }
    }
    return v;
  }
}
