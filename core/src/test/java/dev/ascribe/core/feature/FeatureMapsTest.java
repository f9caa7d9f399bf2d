package dev.ascribe.core.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.task.ModelOutputs;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Feature maps from the one factory: the features each method had before, bit for bit. */
class FeatureMapsTest {
  static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(5, new int[] {4}, 3, 0);
  private static final Checkpoint CHECKPOINT = checkpoint();
  private static final Dataset DATA = data(9, 1, 100);

  /** {@link #ARCH} initialized with seed 1 (also the factorized projection's test model). */
  static Checkpoint checkpoint() {
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(ARCH, m, 1)) {
      return Checkpoint.of("c1", net);
    }
  }

  /** n Gaussian rows of width 5 with labels in [0, 3), ids firstId, firstId + 1, ... */
  static Dataset data(int n, long seed, long firstId) {
    SplittableRandom rng = new SplittableRandom(seed);
    int dim = 5;
    float[] x = new float[n * dim];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      y[i] = rng.nextInt(3);
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (float) rng.nextGaussian();
      }
    }
    return new Dataset("train", ids, x, y, dim, 3);
  }

  /** Loss-gradient features of every example, as checkpoint 1 of an ensemble. */
  private static FeatureMatrix features(FeatureMapOptions options) {
    GradientMap map = FeatureMaps.create(options, ARCH, 1);
    try (Featurizer f = new Featurizer(1, CHECKPOINT, map, 4)) {
      return f.featurize(DATA, Inputs.range(0, DATA.size()), ModelOutputs.crossEntropy(), 1f);
    }
  }

  private static int hash(FeatureMapOptions options) {
    return Arrays.hashCode(features(options).phi());
  }

  private static ProjectionOptions projection(ProjectionKind kind) {
    return ProjectionOptions.builder().setDim(16).optKind(kind).optSeed(7)
        .optCacheBytes(1L << 30).build();
  }

  private static FeatureMapOptions.Builder kronecker() {
    return FeatureMapOptions.builder().optKind(FeatureMapKind.KRONECKER);
  }

  /**
   * Hashes (Arrays.hashCode of the float bits) recorded before the factory existed, from {@code
   * new WholeGradients(d, new RandomProjection(...))}, {@code new KroneckerGradients(arch, {0, 1},
   * {2, 2}, {3, 3}, kind, Seeds.derive(11, 1))}, {@code KroneckerGradients.identity(arch, {1})}
   * and {@code LayerBlockGradients.of(arch, 1)}.
   */
  @Test
  void factoryMapsGiveTheFeaturesOfBefore() {
    assertEquals(888550858, hash(FeatureMapOptions.builder()
        .optProjection(projection(ProjectionKind.GAUSSIAN)).build()));
    assertEquals(804306407, hash(FeatureMapOptions.builder()
        .optProjection(projection(ProjectionKind.RADEMACHER)).build()));
    assertEquals(707537019, hash(FeatureMapOptions.builder().build()));
    assertEquals(-1273466083, hash(kronecker().optSides(ProjectionKind.GAUSSIAN, 11)
        .optSideDims(new int[] {2}, new int[] {3}).build()));
    assertEquals(-1267146180, hash(kronecker().optSides(ProjectionKind.RADEMACHER, 11)
        .optSideDims(new int[] {2, 2}, new int[] {3, 3}).build()));
    assertEquals(-1070211869, hash(kronecker().optFirstLayer(1).build()));
    assertEquals(852671913, hash(FeatureMapOptions.builder().optKind(FeatureMapKind.LAYERS)
        .optFirstLayer(1).build()));
  }

  @Test
  void identityKroneckerFeaturesAreWholeGradientsPermuted() {
    FeatureMatrix whole = features(FeatureMapOptions.builder().build());
    FeatureMatrix permuted = features(kronecker().build());
    assertEquals(ARCH.numParameters(), permuted.k());
    for (int i = 0; i < DATA.size(); i++) {
      float[] a = whole.row(i).clone();
      float[] b = permuted.row(i).clone();
      Arrays.sort(a);
      Arrays.sort(b);
      assertArrayEquals(a, b, 1e-6f, "row " + i);
    }
  }

  @Test
  void layersFromTheFirstLayerAreWholeGradients() {
    GradientMap map = FeatureMaps.create(FeatureMapOptions.builder()
        .optKind(FeatureMapKind.LAYERS).build(), ARCH, 0);
    assertInstanceOf(WholeGradients.class, map);
    assertEquals(ARCH.numParameters(), map.outputDim());
    assertEquals(ARCH.numParameters() - ARCH.offsetOf(1), FeatureMaps.create(
        FeatureMapOptions.builder().optKind(FeatureMapKind.LAYERS).optFirstLayer(1).build(),
        ARCH, 0).outputDim());
  }

  @Test
  void kindsHaveLowerCaseOptionNames() {
    assertEquals(List.of("whole", "kronecker", "layers"), FeatureMapKind.optionNames());
    assertEquals(FeatureMapKind.KRONECKER, FeatureMapKind.fromName("Kronecker"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureMapKind.fromName("conv"));
    assertEquals("option features given conv: expected one of whole, kronecker, layers",
        e.getMessage());
  }

  @Test
  void optionsAKindDoesNotUseAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kronecker().optProjection(projection(ProjectionKind.GAUSSIAN)).build());
    assertEquals(true, e.getMessage().startsWith("feature map kronecker given a projection"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureMapOptions.builder()
        .optSideDims(new int[] {2}, new int[] {3}).build());
    assertEquals("feature map whole given side projections or side dimensions: only kronecker"
        + " has sides", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FeatureMapOptions.builder().optFirstLayer(1).build());
    assertEquals("feature map whole given first layer 1: it always uses every parameter; choose"
        + " layers or kronecker", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> kronecker().optSideDims(new int[] {-1}, new int[] {3}).build());
    assertEquals("feature map option outDims given [-1]: expected one dimension >= 0 for every"
        + " layer, or one per layer (0 keeps the side whole)", e.getMessage());
  }

  @Test
  void optionsThatDoNotFitTheModelAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureMaps.create(kronecker().optFirstLayer(2).build(), ARCH, 0));
    assertEquals("feature map kronecker given first layer 2: " + ARCH.name()
        + " has 2 linear layers (0 to 1)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureMaps.create(
        kronecker().optSideDims(new int[] {2, 2, 2}, new int[] {3}).build(), ARCH, 0));
    assertEquals("feature map option outDims given 3 dimensions: " + ARCH.name()
        + " has 2 linear layers from layer 0; give one value for all or one per layer",
        e.getMessage());
  }
}
