package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import dev.ascribe.jobs.pipeline.SelectLambdaJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ascribe select-lambda}: retraining-free λ from the full-data model(s). */
@Command(name = "select-lambda", mixinStandardHelpOptions = true,
    description = "Choose λ without retraining: ξ̄ curve of the validation queries, every crossing,"
        + " the spectral rules and λ*; writes --out/select-lambda/selection.json.")
public final class SelectLambdaCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    JobConfig config = common.config();
    try (RunLock lock = common.lockOut("select-lambda")) {
      RunFolder run = new RunFolder(common.out("select-lambda"));
      Map<String, Object> out = SelectLambdaJob.run(config, common.setting(config), run);
      Map<String, Object> s = (Map<String, Object>) out.get("selection");
      System.out.printf("%s %s k=%s, %s model(s), %s form%n", out.get("setting"), out.get("method"),
          out.get("projection.dim"), out.get("models"), out.get("spectrum_form"));
      System.out.printf("lambda* = %.4gx mean eigenvalue (rule %s)%n",
          (Double) s.get("lambda_multiple"), s.get("rule"));
      ((Map<String, Map<String, Object>>) s.get("rules")).forEach((name, r) ->
          System.out.printf("  rule %-7s lambda = %.4gx%n", name, (Double) r.get("lambda_multiple")));
      System.out.println("xi crossings (lambda multiples):");
      ((Map<String, List<Map<String, Object>>>) s.get("xi_crossings")).forEach((t, list) ->
          System.out.printf("  xi = %s: %s%n", t, list.stream().map(c -> String.format(
              java.util.Locale.ROOT, "%.3g (%s)", (Double) c.get("lambda_multiple"),
              c.get("direction"))).toList()));
      Map<String, Double> seconds = (Map<String, Double>) out.get("seconds");
      System.out.printf("featurize %.2f s, kernel %.3f s%n", seconds.get("featurize"),
          seconds.get("kernel"));
      System.out.printf("lambda=auto alone: kernel + %.3f s (trace/rank): %.1f%% of featurization%n",
          seconds.get("auto_lambda"), 100 * seconds.get("auto_over_featurize"));
      System.out.printf("whole selection: kernel + %.3f s (eigendecomposition %.3f s, xi curve and"
          + " rules %.3f s): %.1f%% of featurization%n", seconds.get("select"),
          seconds.get("eigendecomposition"),
          seconds.get("select") - seconds.get("eigendecomposition"),
          100 * seconds.get("select_over_featurize"));
      System.out.println("wrote " + run.root().local().resolve("select-lambda/selection.json"));
      return 0;
    }
  }
}
