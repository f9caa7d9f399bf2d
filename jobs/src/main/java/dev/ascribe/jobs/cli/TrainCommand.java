package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.ModelTraining;
import dev.ascribe.jobs.pipeline.RunLock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ascribe train}: trains the setting's models into {@code DIR/models}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the setting's models (models.count of them) into DIR/models/m<i>/.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    try (RunLock lock = common.lockOut("train")) {
      Path out = common.out("train");
      Dataset train = setting.trainData();
      ModelStore store = new ModelStore(out.resolve("models"));
      long start = System.nanoTime();
      List<ModelRecord> records =
          ModelTraining.ensureAll(config, setting, store, train, setting.queryData());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%-6s %-10s %s%n", "model", "accuracy", "folder");
      for (int i = 0; i < records.size(); i++) {
        Object acc = records.get(i).metrics().get("accuracy");
        System.out.printf("m%-5d %-10.4f %s%n", i, ((Number) acc).doubleValue(), store.modelDir(i));
      }
      System.out.printf("trained %d %s model(s) on %s in %.1f s%n", records.size(),
          setting.spec().name(), train.name(), seconds);
      return 0;
    }
  }
}
