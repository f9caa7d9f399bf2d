package dev.ascribe.jobs.pipeline;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains (or reuses) models 0..count-1 of a setting in parallel threads of this JVM, one model per
 * thread: the trainer is thread-safe and each model is deterministic in its own seed, so the result
 * does not depend on the number of threads.
 */
public final class ModelTraining {
  private ModelTraining() {}

  public static List<ModelRecord> ensureAll(Setting setting, ModelStore store, int count, Dataset train,
      Dataset eval, NDManager manager) throws IOException {
    int threads = Math.min(count, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ModelRecord>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int model = i;
        futures.add(pool.submit(
            () -> setting.trainingRun().ensure(store, model, train, eval, manager)));
      }
      List<ModelRecord> records = new ArrayList<>();
      for (Future<ModelRecord> f : futures) {
        records.add(join(f));
      }
      return records;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for a task and rethrows its failure as it was. */
  static <T> T join(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }
}
