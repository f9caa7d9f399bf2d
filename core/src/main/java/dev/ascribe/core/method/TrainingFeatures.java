package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.model.Inputs;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The training side of a cached attributor, one feature matrix per checkpoint: held in memory
 * when the matrices are small, else featurized again block by block whenever they are used.
 *
 * <p>Why: unprojected features take n·d floats per checkpoint (2.2 GB for 5,000 MNIST-MLP
 * examples), more than the heap a method is given (README, memory budget), and a method whose
 * preconditioner does not come from the training features (identity, Hessian) only ever streams
 * them through an inner product. Streamed blocks are featurized on the same batch boundaries
 * and handed to the consumer in the same row blocks as the held matrix would be, so scores do not
 * depend on which of the two is used.
 */
final class TrainingFeatures {
  /** Held training features (all checkpoints together) beyond which they are streamed. */
  static final long HELD_BYTES = 512L << 20;

  /** Opens checkpoint c's featurizer of the training set. */
  @FunctionalInterface
  interface Source {
    Opened open(int c);
  }

  /** One checkpoint's open featurizer of the training set (closing frees its native memory). */
  interface Opened extends AutoCloseable {
    FeatureMatrix featurize(int[] rows);

    @Override
    void close();
  }

  private final List<FeatureMatrix> held;
  private final Source source;
  private final int numCheckpoints;
  private final int numRows;
  private final int batchSize;

  private TrainingFeatures(List<FeatureMatrix> held, Source source, int numCheckpoints,
      int numRows, int batchSize) {
    this.held = held;
    this.source = source;
    this.numCheckpoints = numCheckpoints;
    this.numRows = numRows;
    this.batchSize = batchSize;
  }

  /** Features held in memory. */
  static TrainingFeatures held(List<FeatureMatrix> features) {
    return new TrainingFeatures(List.copyOf(features), null, features.size(), -1, -1);
  }

  /**
   * Features made again from {@code source} at each use.
   *
   * @param batchSize the featurizer's batch: streamed blocks start at multiples of it, so every
   *     example is featurized in the same batch as when all rows are featurized at once
   */
  static TrainingFeatures streamed(Source source, int numCheckpoints, int numRows,
      int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size given " + batchSize + ": must be >= 1");
    }
    return new TrainingFeatures(null, source, numCheckpoints, numRows, batchSize);
  }

  /** Whether features of this size are streamed rather than held. */
  static boolean tooLargeToHold(int numCheckpoints, int numRows, int k) {
    return 4L * numCheckpoints * numRows * k > HELD_BYTES;
  }

  boolean isStreamed() {
    return held == null;
  }

  int numCheckpoints() {
    return numCheckpoints;
  }

  /** Every checkpoint's whole matrix (featurized now when streamed: n·k floats each). */
  List<FeatureMatrix> all() {
    if (held != null) {
      return held;
    }
    List<FeatureMatrix> all = new java.util.ArrayList<>();
    for (int c = 0; c < numCheckpoints; c++) {
      try (Opened f = source.open(c)) {
        all.add(f.featurize(Inputs.range(0, numRows)));
      }
    }
    return all;
  }

  /**
   * Hands checkpoint c's rows to {@code sink} in order, in blocks of {@code rowsPerBlock} rows
   * (the last one shorter); a held matrix is handed over whole (its consumer splits it in the
   * same blocks).
   */
  void forEachBlock(int c, int rowsPerBlock, Consumer<FeatureMatrix> sink) {
    if (held != null) {
      sink.accept(held.get(c));
      return;
    }
    // Featurize whole batches, at least one block's worth; carry what is left over to the next.
    int step = (int) Math.min(numRows,
        ((long) rowsPerBlock + batchSize - 1) / batchSize * batchSize);
    FeatureMatrix pending = null;
    try (Opened f = source.open(c)) {
      for (int from = 0; from < numRows; from += step) {
        FeatureMatrix made = f.featurize(Inputs.range(from, Math.min(numRows, from + step)));
        pending = pending == null ? made : concat(pending, made);
        while (pending.size() >= rowsPerBlock) {
          sink.accept(pending.size() == rowsPerBlock ? pending
              : pending.slice(0, rowsPerBlock));
          pending = pending.slice(rowsPerBlock, pending.size());
        }
      }
    }
    if (pending != null && pending.size() > 0) {
      sink.accept(pending);
    }
  }

  private static FeatureMatrix concat(FeatureMatrix a, FeatureMatrix b) {
    int n = a.size() + b.size();
    long[] ids = Arrays.copyOf(a.ids(), n);
    System.arraycopy(b.ids(), 0, ids, a.size(), b.size());
    int[] labels = Arrays.copyOf(a.labels(), n);
    System.arraycopy(b.labels(), 0, labels, a.size(), b.size());
    float[] phi = Arrays.copyOf(a.phi(), n * a.k());
    System.arraycopy(b.phi(), 0, phi, a.phi().length, b.phi().length);
    float[] q = Arrays.copyOf(a.q(), n);
    System.arraycopy(b.q(), 0, q, a.size(), b.size());
    return new FeatureMatrix(a.model(), ids, labels, phi, q, a.k());
  }
}
