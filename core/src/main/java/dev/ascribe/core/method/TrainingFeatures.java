package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.model.Inputs;
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
   * @param batchSize the featurizer's batch: rows are featurized one batch at a time from row 0,
   *     so every example is featurized in the same batch as when all rows are featurized at once
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
    // One featurizer batch at a time into a block-sized buffer that is handed over when full:
    // the heap holds one block and one batch, not several copies of a block.
    long[] ids = null;
    int[] labels = null;
    float[] phi = null;
    float[] q = null;
    int filled = 0;
    try (Opened f = source.open(c)) {
      for (int from = 0; from < numRows; from += batchSize) {
        FeatureMatrix made = f.featurize(Inputs.range(from, Math.min(numRows, from + batchSize)));
        int k = made.k();
        int used = 0;
        while (used < made.size()) {
          if (ids == null) {
            int size = Math.min(rowsPerBlock, numRows - from - used);
            ids = new long[size];
            labels = new int[size];
            phi = new float[size * k];
            q = new float[size];
            filled = 0;
          }
          int take = Math.min(made.size() - used, ids.length - filled);
          System.arraycopy(made.ids(), used, ids, filled, take);
          System.arraycopy(made.labels(), used, labels, filled, take);
          System.arraycopy(made.phi(), used * k, phi, filled * k, take * k);
          System.arraycopy(made.q(), used, q, filled, take);
          used += take;
          filled += take;
          if (filled == ids.length) {
            sink.accept(new FeatureMatrix(c, ids, labels, phi, q, k));
            ids = null;
          }
        }
      }
    }
  }
}
