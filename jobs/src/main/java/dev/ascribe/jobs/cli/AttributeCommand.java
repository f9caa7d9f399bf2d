package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.jobs.pipeline.AttributeJob;
import dev.ascribe.jobs.pipeline.Incremental;
import dev.ascribe.jobs.pipeline.ModelDirs;
import dev.ascribe.jobs.pipeline.ModelTraining;
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
    try (RunLock lock = common.lockOut("attribute")) {
      setting.checkTables(Incremental.enabled(config, setting));
      String modelsDir = config.getString("models.dir");
      if (!modelsDir.isEmpty() && ModelDirs.local(modelsDir).isPresent()) {
        // A local models folder of another kind is refused before Spark starts; AttributeJob
        // checks the copies of remote ones.
        ModelTraining.requireReusable(config, setting,
            new ModelStore(ModelDirs.local(modelsDir).get()), setting.trainData());
      }
      RunFolder run = new RunFolder(common.outFolder("attribute"));
      AttributeJob.Result result = AttributeJob.run(config, setting, run, common.spark());
      Report.printTopProponents(result, 3, 5);
      System.out.printf("wrote %s, %s, %s%n", run.features(), run.kernel(), run.scores());
      return 0;
    }
  }
}
