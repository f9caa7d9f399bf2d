package dev.ascribe.udf.ml;

import dev.ascribe.udf.SyntheticData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.train.SgdTrainer;
import dev.ascribe.core.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tiny trained models in a models/ folder, and train/query data for them (8 inputs, 3 classes). */
final class MlTestData {
  static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(8, new int[] {5}, 3, 0);
  static final int EPOCHS = 2;
  static final Dataset TRAIN = data(61, 1, "train");
  static final Dataset QUERIES = data(7, 2, "queries");

  private MlTestData() {}

  static Dataset data(int n, long seed, String name) {
    return SyntheticData.of(n, seed, name);
  }

  /** Trains {@code count} models for {@link #EPOCHS} epochs on TRAIN, saving every epoch. */
  static void writeModels(Path modelsDir, int count) throws IOException {
    ModelStore store = new ModelStore(modelsDir);
    TrainOptions options = TrainOptions.builder().setEpochs(EPOCHS).optLearningRate(0.05)
        .optBatchSize(16).build();
    for (int i = 0; i < count; i++) {
      int model = i;
      long seed = 10 + i;
      Map<Integer, String> hashes = new TreeMap<>();
      try (NDManager manager = NDManager.newBaseManager();
          Network net = Network.initialize(ARCH, manager, seed)) {
        new SgdTrainer(options).train(net, TRAIN, seed,
            (epoch, n) -> hashes.put(epoch, store.save(model, epoch, n)));
      }
      store.writeDescription(i, new ModelStore.ModelRecord(ARCH, seed, options.toMap(),
          TRAIN.name(), hashes, Map.of()));
    }
  }

  /** The final-epoch checkpoints of the first {@code count} models, loaded as core loads them. */
  static List<Checkpoint> finalCheckpoints(Path modelsDir, int count) throws IOException {
    List<Checkpoint> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Checkpoint.fromStore(new ModelStore(modelsDir), i, EPOCHS));
    }
    return out;
  }

  /**
   * Asserts a transformed top-K list equals the in-memory one: scores within {@code tol}, ids
   * equal except where the example found is tied within {@code tol} with the one expected.
   *
   * @param column the in-memory scores of every training example for this query, by id
   */
  static void assertSameTop(List<TopK.Entry> expected, Map<Long, Double> column, List<Long> ids,
      List<Double> scores, double tol, String what) {
    assertEquals(expected.size(), ids.size(), what + ": length");
    assertEquals(ids.size(), scores.size(), what + ": ids vs scores");
    for (int r = 0; r < expected.size(); r++) {
      assertEquals(expected.get(r).score(), scores.get(r), tol, what + " rank " + (r + 1));
      if (expected.get(r).exampleId() != ids.get(r)) {
        double tied = Math.abs(expected.get(r).score() - column.get(ids.get(r)));
        assertTrue(tied <= tol, what + " rank " + (r + 1) + ": id " + ids.get(r) + ", expected "
            + expected.get(r).exampleId() + " (not a tie)");
      }
    }
  }
}
