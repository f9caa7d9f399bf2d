package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.NoisyLabelJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ascribe noisy-labels}: noisy-label detection AUC of a method's self-influence. */
@Command(name = "noisy-labels", mixinStandardHelpOptions = true,
    description = "Flip noisy.fraction of the training labels (seed noisy.seed), train"
        + " models.count models on them into --out/models, rank the training examples by"
        + " self-influence and write the ROC AUC against the flips to --out/eval/metrics.json.")
public final class NoisyLabelsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    Methods.spec(config);
    NoisyLabelJob.flip(config, setting);
    try (RunLock lock = common.lockOut("noisy-labels")) {
      RunFolder run = new RunFolder(common.out("noisy-labels"));
      Map<String, Object> metrics = NoisyLabelJob.run(config, setting, run, common.spark());
      Map<?, ?> noisy = (Map<?, ?>) metrics.get("noisy_auc");
      System.out.printf("noisy-label AUC (%s, %s model(s)): %.4f; %s of %s labels flipped"
          + " (seed %s), %.1f%% of them among the top %s self-influences%n", metrics.get("method"),
          metrics.get("models"), noisy.get("auc"), noisy.get("flipped"), noisy.get("examples"),
          noisy.get("flip_seed"), 100 * ((Number) noisy.get("top_precision")).doubleValue(),
          noisy.get("flipped"));
      System.out.println("wrote " + run.eval().local().resolve("metrics.json"));
      return 0;
    }
  }
}
