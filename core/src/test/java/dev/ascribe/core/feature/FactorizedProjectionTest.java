package dev.ascribe.core.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Seeds;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.task.ModelOutputs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code projection.kind = factorized} against its definition: per linear layer (P_out ⊗ P_in)
 * applied to the per-example gradient [∂W, ∂b] = δ ãᵀ, the layers side by side, then the SJLT of
 * that concatenation to k; and the rule that picks the side dimensions.
 */
class FactorizedProjectionTest {
  private static final FeedForwardSpec ARCH = FeatureMapsTest.ARCH;
  private static final long SEED = 7;
  private static final int C = 1;
  private static final Checkpoint CHECKPOINT = FeatureMapsTest.checkpoint();
  private static final Dataset DATA = FeatureMapsTest.data(7, 3, 0);

  private static FeatureMatrix features(GradientMap map) {
    try (Featurizer f = new Featurizer(C, CHECKPOINT, map, 3)) {
      return f.featurize(DATA, Inputs.range(0, DATA.size()), ModelOutputs.crossEntropy(), 1f);
    }
  }

  private static GradientMap factorized(int k, int[] out, int[] in) {
    ProjectionOptions p = ProjectionOptions.builder().setDim(k)
        .optKind(ProjectionKind.FACTORIZED).optSeed(SEED).optSideDims(out, in).build();
    return FeatureMaps.create(FeatureMapOptions.builder().optProjection(p).build(), ARCH, C);
  }

  /** P as a dense matrix, from {@link Projection#entry}. */
  private static double[][] matrix(Projection p) {
    double[][] m = new double[p.outputDim()][p.inputDim()];
    for (int r = 0; r < m.length; r++) {
      for (int j = 0; j < m[r].length; j++) {
        m[r][j] = p.entry(r, j);
      }
    }
    return m;
  }

  private static Projection gaussian(int k, int width, long seed) {
    return Projection.of(ProjectionOptions.builder().setDim(k).optKind(ProjectionKind.GAUSSIAN)
        .optSeed(seed).build(), width);
  }

  /**
   * The definition: row i is, per layer l, vec_rowmajor(P_out G̃ P_inᵀ) with G̃ = [∂W, ∂b] (out x
   * (in + 1)) taken from the whole per-example gradient, i.e. (P_out ⊗ P_in) vec(δ ãᵀ).
   */
  private static double[][] explicitKronecker(int[] kOut, int[] kIn) {
    FeatureMatrix whole = features(FeatureMaps.create(FeatureMapOptions.builder().build(), ARCH,
        C));
    long s = Seeds.derive(SEED, C);
    double[][] rows = new double[DATA.size()][];
    for (int i = 0; i < DATA.size(); i++) {
      float[] g = whole.row(i);
      double[] row = new double[0];
      for (TappedLayer t : ARCH.tappedLayers()) {
        int l = t.index();
        double[][] pOut = matrix(gaussian(kOut[l], t.out(), Seeds.derive(s, l, 0)));
        double[][] pIn = matrix(gaussian(kIn[l], t.in() + 1, Seeds.derive(s, l, 1)));
        double[] block = new double[kOut[l] * kIn[l]];
        for (int r = 0; r < kOut[l]; r++) {
          for (int q = 0; q < kIn[l]; q++) {
            double sum = 0;
            for (int o = 0; o < t.out(); o++) {
              for (int j = 0; j <= t.in(); j++) {
                double gij = j < t.in() ? g[t.weightOffset() + o * t.in() + j]
                    : g[t.biasOffset() + o];
                sum += pOut[r][o] * gij * pIn[q][j];
              }
            }
            block[r * kIn[l] + q] = sum;
          }
        }
        double[] joined = new double[row.length + block.length];
        System.arraycopy(row, 0, joined, 0, row.length);
        System.arraycopy(block, 0, joined, row.length, block.length);
        row = joined;
      }
      rows[i] = row;
    }
    return rows;
  }

  private static float[] floats(double[] x) {
    float[] f = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      f[j] = (float) x[j];
    }
    return f;
  }

  @Test
  void featuresAreTheKroneckerProductAppliedToEachLayersGradient() {
    int[] kOut = {2, 2};
    int[] kIn = {3, 3};
    GradientMap map = factorized(12, kOut, kIn);
    assertInstanceOf(KroneckerGradients.class, map, "K' = 2·3 + 2·3 = k: no SJLT");
    FeatureMatrix phi = features(map);
    double[][] expected = explicitKronecker(kOut, kIn);
    assertEquals(12, phi.k());
    for (int i = 0; i < DATA.size(); i++) {
      assertArrayEquals(floats(expected[i]), phi.row(i), 1e-5f, "row " + i);
    }
  }

  @Test
  void featuresOfAnotherWidthAreTheSjltOfTheConcatenation() {
    int[] kOut = {2, 2};
    int[] kIn = {3, 3};
    GradientMap map = factorized(5, kOut, kIn);
    assertInstanceOf(ProjectedGradients.class, map);
    FeatureMatrix phi = features(map);
    assertEquals(5, phi.k());
    Projection sjlt = Projection.of(ProjectionOptions.builder().setDim(5)
        .optKind(ProjectionKind.SJLT).optSeed(Seeds.derive(Seeds.derive(SEED, C), -1)).build(),
        12);
    double[][] p = matrix(sjlt);
    double[][] kron = explicitKronecker(kOut, kIn);
    for (int i = 0; i < DATA.size(); i++) {
      double[] expected = new double[5];
      for (int r = 0; r < 5; r++) {
        for (int j = 0; j < 12; j++) {
          expected[r] += p[r][j] * kron[i][j];
        }
      }
      assertArrayEquals(floats(expected), phi.row(i), 1e-5f, "row " + i);
    }
  }

  @Test
  void theSameOptionsGiveTheSameFeaturesAndEachCheckpointItsOwn() {
    float[] first = features(factorized(10, null, null)).phi();
    assertArrayEquals(first, features(factorized(10, null, null)).phi());
    ProjectionOptions p = ProjectionOptions.builder().setDim(10)
        .optKind(ProjectionKind.FACTORIZED).optSeed(SEED).build();
    GradientMap other = FeatureMaps.create(FeatureMapOptions.builder().optProjection(p).build(),
        ARCH, C + 1);
    float[] second;
    try (Featurizer f = new Featurizer(C, CHECKPOINT, other, 3)) {
      second = f.featurize(DATA, Inputs.range(0, DATA.size()), ModelOutputs.crossEntropy(), 1f)
          .phi();
    }
    assertEquals(false, Arrays.equals(first, second));
  }

  @Test
  void theRuleSplitsKBySquareRootOfLayerSizeAndHitsKExactly() {
    FeedForwardSpec mlp = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0);
    // √n_l = √100480, √8256, √650 split 512 into 375, 107, 30. Smallest layer first: 30 = 5 · 6;
    // 107 is prime and 106 = 2 · 53 too unbalanced, so 105 = 7 · 15 and 2 move on; 377 = 13 · 29.
    FactorizedDims dims = FactorizedDims.of(mlp, 512, null, null);
    assertArrayEquals(new int[] {13, 7, 5}, dims.out());
    assertArrayEquals(new int[] {29, 15, 6}, dims.in());
    assertEquals(512, dims.width());
    for (int k : new int[] {256, 1024, 4096, 8192}) {
      assertEquals(k, FactorizedDims.of(mlp, k, null, null).width(), "k = " + k);
    }
    // 2048 ends 3 short: the last layer's 733 is prime, 732 too unbalanced, 731 = 17 · 43.
    assertEquals(2045, FactorizedDims.of(mlp, 2048, null, null).width());
    // One layer: δ (10 wide) takes 8, the divisor of 512 nearest √512 that fits, ã takes 64.
    FeedForwardSpec lr = FeedForwardSpec.logisticRegression(784, 10);
    assertEquals(new FactorizedDims(new int[] {8}, new int[] {64}),
        FactorizedDims.of(lr, 512, null, null));
    // k above the gradient's size: every side whole (K' = 7850, then the SJLT to k).
    assertEquals(new FactorizedDims(new int[] {10}, new int[] {785}),
        FactorizedDims.of(lr, 8192, null, null));
    // The two small layers fit their shares of 2^16 whole; the first takes the rest, 56630:
    // 121 · 468 = 56628 is the first product within it whose sides are balanced enough.
    assertEquals(new FactorizedDims(new int[] {121, 64, 10}, new int[] {468, 129, 65}),
        FactorizedDims.of(mlp, 1 << 16, null, null));
  }

  @Test
  void givenSidesReplaceTheRule() {
    FeedForwardSpec mlp = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0);
    assertEquals(new FactorizedDims(new int[] {8, 8, 8}, new int[] {47, 14, 4}),
        FactorizedDims.of(mlp, 512, new int[] {8}, null));
    assertEquals(new FactorizedDims(new int[] {128, 11, 3}, new int[] {3, 10, 11}),
        FactorizedDims.of(mlp, 512, new int[] {0, 11, 3}, new int[] {3, 10, 11}));
  }

  @Test
  void badOptionsAreRejectedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Projection.of(ProjectionOptions.builder().setDim(4)
            .optKind(ProjectionKind.FACTORIZED).build(), 100));
    assertEquals("option projection.kind given factorized for a plain vector of length 100:"
        + " factorized projects a model's gradients layer by layer (whole-gradient feature"
        + " maps); to project a vector use one of gaussian, rademacher, sjlt", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProjectionOptions.builder().setDim(4)
        .optKind(ProjectionKind.GAUSSIAN).optSideDims(new int[] {2}, null).build());
    assertEquals("projection option out given 2 for kind gaussian: only factorized has side"
        + " dimensions", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProjectionOptions.builder().setDim(4)
        .optKind(ProjectionKind.FACTORIZED).optSideDims(null, new int[] {-1}).build());
    assertEquals("projection option in given [-1]: expected one dimension >= 0 for every linear"
        + " layer, or one per layer (0 keeps the side whole)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FactorizedDims.of(ARCH, 12, new int[] {1, 2, 3}, null));
    assertEquals("option projection.out given 3 dimensions: " + ARCH.name() + " has 2 linear"
        + " layers; give one value for all or one per layer", e.getMessage());
  }
}
