package dev.ascribe.core.parallel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs n independent tasks, indexed 0..n-1, on up to t threads of this JVM and returns their
 * results in index order. Every task is joined; the first failure is rethrown as it was. Results
 * do not depend on t, because each task depends only on its index (per-model seeds).
 *
 * <p>This is the in-process counterpart of one Spark task per model.
 */
public final class IndexedTasks {
  private IndexedTasks() {}

  /** A task that may fail with an I/O error. */
  @FunctionalInterface
  public interface Task<T> {
    T run(int index) throws IOException;
  }

  /** Threads to use by default: one per core (each task runs PyTorch single-threaded). */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Runs tasks 0..count-1 on up to {@code threads} threads. */
  public static <T> List<T> run(int count, int threads, Task<T> task) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads given " + threads + ": must be >= 1");
    }
    List<T> results = new ArrayList<>();
    if (count == 0) {
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, threads));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.run(index)));
      }
      for (Future<T> f : futures) {
        results.add(join(f));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@link #run} for tasks that cannot fail with an I/O error. */
  public static <T> List<T> runUnchecked(int count, int threads, Task<T> task) {
    try {
      return run(count, threads, task);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T join(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a task", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
