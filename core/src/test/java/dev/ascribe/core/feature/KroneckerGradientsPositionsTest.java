package dev.ascribe.core.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.task.ModelOutputs;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Kronecker features of a layer applied at several positions, from a hand-built 3-D tap: the block
 * is Σ_t (P_out δ_t) ⊗ (P_in ã_t), a sum of per-position products, not the product of the sums.
 */
class KroneckerGradientsPositionsTest {
  private static final int BATCH = 2;
  private static final int POSITIONS = 3;
  private static final int IN = 4;
  private static final int OUT = 3;
  private static final FeedForwardSpec SPEC = FeedForwardSpec.logisticRegression(IN, OUT);

  @Test
  void projectedBlockSumsThePerPositionProducts() {
    KroneckerGradients map = new KroneckerGradients(SPEC, new int[] {0},
        new Projection[] {gaussian(2, OUT, 7)}, new Projection[] {gaussian(3, IN + 1, 8)});
    try (NDManager m = NDManager.newBaseManager(); Model net = SPEC.open(m, DataType.FLOAT32);
        GradientMap.Session session = map.open(m)) {
      NDArray a = random(m, new Shape(BATCH, POSITIONS, IN), 1);
      NDArray delta = random(m, new Shape(BATCH, POSITIONS, OUT), 2);
      float[] block = session.apply(pass(net, a, delta)).toFloatArray();
      assertEquals(BATCH * 2 * 3, block.length);
      float[] sum = new float[block.length];
      for (int t = 0; t < POSITIONS; t++) {
        NDIndex at = new NDIndex(":, {}, :", t);
        float[] one = session.apply(pass(net, a.get(at), delta.get(at))).toFloatArray();
        for (int k = 0; k < sum.length; k++) {
          sum[k] += one[k];
        }
      }
      float[] ofSums = session.apply(pass(net, a.sum(new int[] {1}), delta.sum(new int[] {1})))
          .toFloatArray();
      double worst = 0;
      double apart = 0;
      for (int k = 0; k < block.length; k++) {
        worst = Math.max(worst, Math.abs(block[k] - sum[k]));
        apart = Math.max(apart, Math.abs(block[k] - ofSums[k]));
      }
      assertTrue(worst < 1e-5, "block differs from the sum over positions by " + worst);
      assertTrue(apart > 1e-2, "the test cannot tell the sum of products from the product of sums");
    }
  }

  @Test
  void identityBlockIsTheLayerGradientSummedOverPositions() {
    KroneckerGradients map = new KroneckerGradients(SPEC, new int[] {0},
        new Projection[1], new Projection[1]);
    try (NDManager m = NDManager.newBaseManager(); Model net = SPEC.open(m, DataType.FLOAT32);
        GradientMap.Session session = map.open(m)) {
      NDArray a = random(m, new Shape(BATCH, POSITIONS, IN), 3);
      NDArray delta = random(m, new Shape(BATCH, POSITIONS, OUT), 4);
      float[] block = session.apply(pass(net, a, delta)).toFloatArray();
      float[] av = a.toFloatArray();
      float[] dv = delta.toFloatArray();
      int width = IN + 1;
      assertEquals(BATCH * OUT * width, block.length);
      for (int i = 0; i < BATCH; i++) {
        for (int r = 0; r < OUT; r++) {
          for (int s = 0; s < width; s++) {
            double expected = 0;
            for (int t = 0; t < POSITIONS; t++) {
              double aug = s < IN ? av[(i * POSITIONS + t) * IN + s] : 1;
              expected += dv[(i * POSITIONS + t) * OUT + r] * aug;
            }
            assertEquals(expected, block[(i * OUT + r) * width + s], 1e-5,
                "example " + i + " entry (" + r + ", " + s + ")");
          }
        }
      }
    }
  }

  private static Backprop pass(Model net, NDArray a, NDArray delta) {
    return new Backprop(new Backprop.Source(net, null, null, ModelOutputs.margin()), null,
        List.of(new LayerGradient(a, delta)), a.getManager().zeros(new Shape(BATCH)));
  }

  /** Uniform values in [-1, 1) of the given shape, seeded (also used by SketchedGradientsTest). */
  static NDArray random(NDManager m, Shape shape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[(int) shape.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) (2 * rng.nextDouble() - 1);
    }
    return m.create(v, shape);
  }

  private static Projection gaussian(int k, int width, long seed) {
    return Projection.of(ProjectionOptions.builder().setDim(k).optKind(ProjectionKind.GAUSSIAN)
        .optSeed(seed).build(), width);
  }
}
