package dev.ascribe.jobs.pipeline;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.util.List;

/**
 * Trains (or reuses) models 0..count-1 of a setting in parallel threads of this JVM, one model per
 * thread: the trainer is thread-safe and each model is deterministic in its own seed, so the result
 * does not depend on the number of threads.
 */
public final class ModelTraining {
  private ModelTraining() {}

  public static List<ModelRecord> ensureAll(Setting setting, ModelStore store, int count,
      Dataset train, Dataset eval, NDManager manager) throws IOException {
    return IndexedTasks.run(count, IndexedTasks.defaultThreads(),
        model -> setting.trainingRun().ensure(store, model, train, eval, manager));
  }
}
