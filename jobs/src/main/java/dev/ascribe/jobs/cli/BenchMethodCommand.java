package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.bench.MethodRun;
import dev.ascribe.jobs.config.JobConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ascribe bench method}: one method on one setting in memory, LDS and cost. */
@Command(name = "method", mixinStandardHelpOptions = true,
    description = "Runs the configured method in memory and writes --out/result.json (LDS against"
        + " --groundtruth, seconds, peak memory, hyperparameters).")
public final class BenchMethodCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--groundtruth", paramLabel = "DIR", required = true,
      description = "Run folder written by 'groundtruth'.")
  Path groundTruth;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Map<String, Object> r = MethodRun.run(config, common.setting(config),
        common.out("bench method"), groundTruth.toAbsolutePath(), common.spark());
    System.out.println(r.get("method") + " on " + r.get("setting") + ": LDS " + r.get("lds")
        + ", seconds " + r.get("seconds") + ", peak RSS " + Math.round(
            (double) r.get("peak_rss_mib")) + " MiB");
    return 0;
  }
}
