package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.AttributeJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ascribe attribute}: models (trained if missing), features, kernel and scores. */
@Command(name = "attribute", mixinStandardHelpOptions = true,
    description = "Train missing models, then write features, kernel and scores under --out.")
public final class AttributeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    // Every option the method's sizes depend on, checked before models are trained.
    Methods.spec(config).featureDim(setting.spec());
    setting.checkTables();
    try (RunLock lock = common.lockOut("attribute")) {
      RunFolder run = new RunFolder(common.out("attribute"));
      AttributeJob.Result result = AttributeJob.run(config, setting, run, common.spark());
      Report.printTopProponents(result, 3, 5);
      System.out.printf("wrote %s, %s, %s%n", run.features(), run.kernel(), run.scores());
      return 0;
    }
  }
}
