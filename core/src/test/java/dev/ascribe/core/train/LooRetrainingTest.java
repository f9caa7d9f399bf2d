package dev.ascribe.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.LooGroundTruth;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.provenance.Hashes;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LooRetrainingTest {
  private static final FeedForwardSpec MLP = FeedForwardSpec.mlp(10, new int[] {6}, 3, 0.1);
  private static final TrainOptions OPTIONS =
      TrainOptions.builder().setEpochs(3).optBatchSize(16).build();
  private final Dataset train = SgdTrainerTest.blobs(70, 10, 3, 1);
  private final Dataset queries = SgdTrainerTest.blobs(5, 10, 3, 2);

  @Test
  void theFullModelIsBitIdenticalToModel0OfATrainingRun(@TempDir Path dir) throws Exception {
    // The attribution's model 0: same seed derivation, dropout on, saved by the store.
    TrainingRun run = new TrainingRun(MLP, OPTIONS, new TreeSet<>(), 17);
    ModelStore store = new ModelStore(dir);
    LooRetraining loo = new LooRetraining(MLP, OPTIONS, run.modelSeed(0), 4, 3);
    try (NDManager m = NDManager.newBaseManager()) {
      ModelStore.ModelRecord stored = run.ensure(store, 0, train, null, m);
      LooRetraining.Outputs full = loo.full(train, queries, m);
      assertEquals(stored.epochHashes().get(3), full.parametersSha256());
    }
  }

  @Test
  void aLooModelWithNothingRemovedIsTheFullModelAndOneRemovedDiffers() throws Exception {
    LooRetraining loo = new LooRetraining(MLP, OPTIONS, 5, 4, 3);
    try (NDManager m = NDManager.newBaseManager()) {
      LooRetraining.Outputs full = loo.full(train, queries, m);
      String nothingRemoved;
      try (Network net = Network.initialize(MLP, m, 5)) {
        new SgdTrainer(OPTIONS).train(net, train, new boolean[train.size()], 5, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        net.save(bytes);
        nothingRemoved = Hashes.sha256(bytes.toByteArray());
      }
      assertEquals(full.parametersSha256(), nothingRemoved);
      LooRetraining.Outputs without = loo.without(7, train, queries, m);
      assertNotEquals(full.parametersSha256(), without.parametersSha256());
      assertEquals(without.parametersSha256(), loo.without(7, train, queries, m)
          .parametersSha256(), "a LOO model depends only on its removed row");
    }
  }

  @Test
  void groundTruthHoldsFullMinusLooOutputsAndIgnoresThreads() throws Exception {
    LooRetraining loo = new LooRetraining(MLP, OPTIONS, 5, 4, 3);
    int[] removed = loo.removedRows(train.size());
    assertEquals(4, removed.length);
    assertArrayEquals(removed, loo.removedRows(train.size()));
    LooRetraining.Result one = loo.groundTruth(train, queries, 1);
    LooRetraining.Result two = loo.groundTruth(train, queries, 2);
    LooGroundTruth t = one.truth();
    assertArrayEquals(t.margin(), two.truth().margin());
    assertEquals(one.fullParametersSha256(), two.fullParametersSha256());
    assertArrayEquals(queries.ids(), t.queryIds());
    try (NDManager m = NDManager.newBaseManager()) {
      LooRetraining.Outputs full = loo.full(train, queries, m);
      LooRetraining.Outputs second = loo.without(removed[1], train, queries, m);
      assertEquals(train.id(removed[1]), t.removedIds()[1]);
      double[][] deltas = t.deltas("margin");
      double[][] negLoss = t.deltas("neg-loss");
      for (int q = 0; q < queries.size(); q++) {
        assertEquals(full.margin()[q] - second.margin()[q], deltas[1][q], 0);
        assertEquals(full.logp()[q] - second.logp()[q], negLoss[1][q], 0);
      }
    }
  }

  @Test
  void badCountsAreRejectedNamingTheOption() {
    assertEquals("groundtruth option loo.count given 71: must be <= the number of training"
        + " rows, 70 (data.train.count); lower loo.count",
        assertThrows(IllegalArgumentException.class,
            () -> new LooRetraining(MLP, OPTIONS, 5, 71, 3).removedRows(70)).getMessage());
    assertEquals("groundtruth option loo.count given 1: must be >= 2 (LOO correlates over the"
        + " removed points; DESIGN.md uses >= 100)",
        assertThrows(IllegalArgumentException.class,
            () -> new LooRetraining(MLP, OPTIONS, 5, 1, 3)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LooRetraining.assemble(new int[] {1, 2}, train, queries, List.of()));
  }
}
