package dev.ascribe.jobs.cli;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.ModelTraining;
import java.nio.file.Path;
import java.util.ArrayList;
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
    Path out = common.out("train");
    Provenance provenance = Provenance.start("train").put("setting", setting.name())
        .options(config.explicitOptions(), config.defaultedOptions());
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();
    provenance.input("train", train.name(), train.size()).input("queries", queries.name(),
        queries.size());
    ModelStore store = new ModelStore(out.resolve("models"));
    long start = System.nanoTime();
    List<ModelRecord> records;
    try (NDManager manager = NDManager.newBaseManager()) {
      records = ModelTraining.ensureAll(setting, store, setting.models(), train, queries, manager);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Object> summary = new ArrayList<>();
    System.out.printf("%-6s %-10s %s%n", "model", "accuracy", "folder");
    for (int i = 0; i < records.size(); i++) {
      Object acc = records.get(i).metrics().get("accuracy");
      System.out.printf("m%-5d %-10.4f %s%n", i, ((Number) acc).doubleValue(), store.modelDir(i));
      summary.add(java.util.Map.of("model", i, "accuracy", acc,
          "epochs", records.get(i).epochHashes()));
    }
    System.out.printf("trained %d %s model(s) on %s in %.1f s%n", records.size(),
        setting.architecture().name(), train.name(), seconds);
    provenance.result("models", summary).result("seconds", seconds)
        .put("architecture", setting.architecture().toMap()).write(store.dir());
    return 0;
  }
}
