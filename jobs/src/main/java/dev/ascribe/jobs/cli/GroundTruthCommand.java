package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.GroundTruthJob;
import dev.ascribe.jobs.pipeline.LooGroundTruthJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ascribe groundtruth}: subset models retrained for LDS, or LOO models for LOO. */
@Command(name = "groundtruth", mixinStandardHelpOptions = true,
    description = "Retrain groundtruth.models models on seeded subsets; write --out/groundtruth."
        + " With groundtruth.kind=loo: the full model and groundtruth.loo.count leave-one-out"
        + " models; write --out/groundtruth-loo.")
public final class GroundTruthCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    if (LooGroundTruthJob.isLoo(config)) {
      LooGroundTruthJob.retraining(config, setting);
      try (RunLock lock = common.lockOut("groundtruth")) {
        RunFolder run = new RunFolder(common.out("groundtruth"));
        LooGroundTruthJob.run(config, setting, run, common.spark());
        System.out.println("wrote " + run.looGroundTruth());
        return 0;
      }
    }
    GroundTruthJob.retraining(config, setting);
    try (RunLock lock = common.lockOut("groundtruth")) {
      RunFolder run = new RunFolder(common.out("groundtruth"));
      GroundTruthJob.run(config, setting, run, common.spark());
      System.out.println("wrote " + run.groundTruth());
      return 0;
    }
  }
}
