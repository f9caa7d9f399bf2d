package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.pipeline.EvaluateJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ascribe evaluate}: LDS and/or LOO of a run's scores against a ground-truth run. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "LDS (and LOO, if --groundtruth has groundtruth-loo/) of --out's scores against"
        + " --groundtruth; writes --out/eval/metrics.json.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--groundtruth", paramLabel = "DIR", required = true,
      description = "Run folder written by 'groundtruth'.")
  Path groundTruth;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    try (RunLock lock = common.lockOut("evaluate")) {
      RunFolder run = new RunFolder(common.out("evaluate"));
      Map<String, Object> metrics = EvaluateJob.run(config, run,
          new RunFolder(groundTruth.toAbsolutePath()), common.spark());
      Report.printMetrics(metrics);
      System.out.println("wrote " + run.eval().local().resolve("metrics.json"));
      return 0;
    }
  }
}
