package dev.ascribe.jobs.pipeline;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.TorchScriptSpec;
import dev.ascribe.core.train.ImportedModels;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains (or reuses) models 0..count-1 of a setting in parallel threads of this JVM, one model per
 * thread, and records the models folder's provenance. Imported models (model.kind torchscript)
 * are copied from their files instead ({@link ImportedModels}). The trainer is thread-safe and each model is
 * deterministic in its own seed, so the result does not depend on the number of threads.
 */
public final class ModelTraining {
  private ModelTraining() {}

  /** Ensures {@code setting.models()} models are in {@code store}; returns their records. */
  public static List<ModelRecord> ensureAll(JobConfig config, Setting setting, ModelStore store,
      Dataset train, Dataset eval) throws IOException {
    Provenance provenance = Provenance.start("train").put("setting", setting.name())
        .put("architecture", setting.spec().toMap())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("accuracy_on", eval.name(), eval.size());
    long start = System.nanoTime();
    // A folder whose models were all reused is only read: reusing models (models.dir) must not
    // rewrite the provenance of the run that trained them.
    List<String> before = descriptions(store, setting.models());
    List<ModelRecord> records;
    try (NDManager manager = NDManager.newBaseManager()) {
      records = IndexedTasks.run(setting.models(), IndexedTasks.defaultThreads(),
          model -> setting.spec() instanceof TorchScriptSpec imported
              ? ImportedModels.ensure(store, imported, model, eval, manager)
              : setting.trainingRun().ensure(store, model, train, eval, manager));
    }
    List<Object> summary = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      summary.add(Map.of("model", i, "accuracy", records.get(i).metrics().get("accuracy"),
          "seed", Long.toString(records.get(i).seed()), "epochs", records.get(i).epochHashes()));
    }
    boolean changed = !before.equals(descriptions(store, setting.models()))
        || !store.dir().exists(Provenance.FILE);
    if (changed) {
      provenance.result("models", summary).result("seconds", AttributeJob.since(start))
          .write(store.dir());
    }
    return records;
  }

  /**
   * Refuses a {@code models.dir} the user gave whose models were trained another way: that folder
   * is input, and training over it would destroy it. Option {@code models.retrain = true} allows
   * retraining there; an empty {@code models.dir} (the run's own models) is always retrained.
   *
   * @throws IllegalArgumentException naming the folder, the model and the difference
   */
  public static void requireReusable(JobConfig config, Setting setting, ModelStore store,
      Dataset train) throws IOException {
    String dir = config.getString("models.dir");
    if (dir.isEmpty() || Boolean.parseBoolean(config.getString("models.retrain"))) {
      return;
    }
    for (int i = 0; i < setting.models(); i++) {
      String difference = setting.trainingRun().difference(store, i, train);
      if (difference != null) {
        throw new IllegalArgumentException("models.dir " + dir + ": model m" + i + " cannot be"
            + " reused: " + difference + ". A folder you give is only read: point models.dir at"
            + " models trained with these options, or set models.retrain=true to train over"
            + " them");
      }
    }
  }

  /** Each model's model.json as text ("" when absent), to tell reuse from training. */
  private static List<String> descriptions(ModelStore store, int models) throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < models; i++) {
      Folder dir = store.modelDir(i);
      if (!dir.exists(ModelStore.DESCRIPTION)) {
        texts.add("");
        continue;
      }
      try (InputStream in = dir.open(ModelStore.DESCRIPTION)) {
        texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return texts;
  }
}
