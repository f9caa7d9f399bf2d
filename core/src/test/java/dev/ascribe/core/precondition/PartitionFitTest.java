package dev.ascribe.core.precondition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.GramAccumulator;
import dev.ascribe.core.linalg.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fit-from-partitions protocol: split, merge in key order, finish. */
class PartitionFitTest {
  private static final int K = 6;

  /** n Gaussian feature rows of one model with ids firstId, firstId + 1, ... */
  private static FeatureMatrix block(int model, long firstId, int n, long seed) {
    Random random = new Random(seed);
    long[] ids = new long[n];
    float[] phi = new float[n * K];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
    }
    for (int j = 0; j < phi.length; j++) {
      phi[j] = (float) (random.nextGaussian() * 1e3);
    }
    return new FeatureMatrix(model, ids, new int[n], phi, new float[n], K);
  }

  private static List<FeatureMatrix> blocks() {
    List<FeatureMatrix> out = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      out.add(block(0, 100L * b, 13 + b, 40 + b));
    }
    return out;
  }

  private static PartitionFit.Keyed<GramFit> partition(List<FeatureMatrix> blocks, int from,
      int to, int sequence) {
    GramFit fit = new GramFit(K);
    for (int b = from; b < to; b++) {
      fit.accumulate(blocks.get(b));
    }
    return new PartitionFit.Keyed<>(blocks.get(from).ids()[0], sequence, fit);
  }

  /**
   * Partitions (0, 1), (2), (3), (4) of the blocks, listed in the given order: merged in key
   * order they add the blocks' sums in the order one fit adds them.
   */
  private static List<PartitionFit.Keyed<GramFit>> partitions(int... order) {
    List<FeatureMatrix> blocks = blocks();
    List<PartitionFit.Keyed<GramFit>> all = List.of(partition(blocks, 0, 2, 0),
        partition(blocks, 2, 3, 1), partition(blocks, 3, 4, 2), partition(blocks, 4, 5, 3));
    List<PartitionFit.Keyed<GramFit>> out = new ArrayList<>();
    for (int i : order) {
      out.add(all.get(i));
    }
    return out;
  }

  @Test
  void partitionsMergedInKeyOrderEqualTheBlocksAddedToOneFitBitForBit() {
    GramFit whole = new GramFit(K);
    blocks().forEach(whole::accumulate);
    GramFit merged = PartitionFit.mergeInKeyOrder(partitions(0, 1, 2, 3));
    assertEquals(whole.gram(), merged.gram());
    assertEquals(13 + 14 + 15 + 16 + 17, merged.gram().count());
  }

  @Test
  void theMergeOrderIsTheKeysNotTheOrderPartitionsArrive() {
    GramAccumulator inOrder = PartitionFit.mergeInKeyOrder(partitions(0, 1, 2, 3)).gram();
    assertEquals(inOrder, PartitionFit.mergeInKeyOrder(partitions(3, 2, 0, 1)).gram());
    assertEquals(inOrder, PartitionFit.mergeInKeyOrder(partitions(1, 3, 2, 0)).gram());
  }

  @Test
  void anotherMergeOrderOrSplitAgreesWithinRounding() {
    double[] inOrder = PartitionFit.mergeInKeyOrder(partitions(0, 1, 2, 3)).finish().meanGram();
    // Reversed keys: the merge order changes, so only rounding may differ.
    List<PartitionFit.Keyed<GramFit>> reversed = new ArrayList<>();
    for (PartitionFit.Keyed<GramFit> p : partitions(0, 1, 2, 3)) {
      reversed.add(new PartitionFit.Keyed<>(-p.key(), p.sequence(), p.fit()));
    }
    double[] other = PartitionFit.mergeInKeyOrder(reversed).finish().meanGram();
    FeatureMatrix all = concat(blocks());
    double[] oneBlock = new GramFit(K).accumulate(all).finish().meanGram();
    double scale = 0;
    for (double v : inOrder) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < inOrder.length; i++) {
      assertEquals(inOrder[i], other[i], 1e-12 * scale, "entry " + i);
      assertEquals(inOrder[i], oneBlock[i], 1e-12 * scale, "entry " + i);
    }
  }

  @Test
  void aWholeMatrixFitIsTheGramAccumulatorsKernelBitForBit() {
    FeatureMatrix all = concat(blocks());
    Kernel expected = Kernel.of(new GramAccumulator(K).add(all.phi()));
    Kernel fitted = new GramFit(K).accumulate(all).finish();
    assertArrayEquals(expected.meanGram(), fitted.meanGram());
    assertEquals(expected.count(), fitted.count());
  }

  @Test
  void modelFitsRouteBlocksByModelAndMergeEachModel() throws Exception {
    ModelFits<GramFit, Kernel> left = new ModelFits<>(2, GramFit::new);
    left.accumulate(block(0, 0, 9, 1)).accumulate(block(1, 0, 9, 2));
    ModelFits<GramFit, Kernel> right = new ModelFits<>(2, GramFit::new);
    right.accumulate(block(1, 9, 4, 3));
    List<Kernel> kernels = roundTrip(left).merge(roundTrip(right)).finish();
    assertEquals(2, kernels.size());
    assertArrayEquals(new GramFit(K).accumulate(block(0, 0, 9, 1)).finish().meanGram(),
        kernels.get(0).meanGram());
    assertArrayEquals(new GramFit(K).accumulate(block(1, 0, 9, 2))
        .merge(new GramFit(K).accumulate(block(1, 9, 4, 3))).finish().meanGram(),
        kernels.get(1).meanGram());
    assertEquals(13, kernels.get(1).count());
    assertNotEquals(kernels.get(0).count(), kernels.get(1).count());
  }

  @Test
  void aModelWithoutRowsOrOutOfRangeIsNamed() {
    ModelFits<GramFit, Kernel> fits = new ModelFits<>(2, GramFit::new);
    fits.accumulate(block(0, 0, 3, 1));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        fits::finish);
    assertTrue(missing.getMessage().contains("no rows of model 1"), missing.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> fits.accumulate(block(2, 0, 3, 1)));
    assertTrue(range.getMessage().contains("model 2: expected models 0..1"),
        range.getMessage());
    IllegalArgumentException models = assertThrows(IllegalArgumentException.class,
        () -> fits.merge(new ModelFits<>(3, GramFit::new)));
    assertTrue(models.getMessage().contains("fits of 3 models into fits of 2"),
        models.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> PartitionFit.mergeInKeyOrder(new ArrayList<PartitionFit.Keyed<GramFit>>()));
    assertTrue(none.getMessage().contains("no partition fit"), none.getMessage());
  }

  private static FeatureMatrix concat(List<FeatureMatrix> blocks) {
    int n = blocks.stream().mapToInt(FeatureMatrix::size).sum();
    long[] ids = new long[n];
    float[] phi = new float[n * K];
    int at = 0;
    for (FeatureMatrix b : blocks) {
      System.arraycopy(b.ids(), 0, ids, at, b.size());
      System.arraycopy(b.phi(), 0, phi, at * K, b.size() * K);
      at += b.size();
    }
    return new FeatureMatrix(0, ids, new int[n], phi, new float[n], K);
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
