package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.junit.jupiter.api.Test;

/** Each layer of the GPT against float64 finite differences (and its closed form where short). */
class GptLayersTest {
  private static final double TOLERANCE = 1e-6;

  @Test
  void layerNormGradientsOfInputScaleAndShiftMatchFiniteDifferences() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray epsilon = m.create(LayerNorm.EPSILON);
      NDList inputs = new NDList(random(m, 2, 3, 4), random(m, 4), random(m, 4));
      FiniteDifferences.check(m,
          in -> LayerNorm.apply(in.get(0), in.get(1), in.get(2), epsilon), inputs, TOLERANCE);
    }
  }

  @Test
  void layerNormNormalizesEachPosition() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[] {1, 2, 3, 6}, new Shape(1, 4));
      double[] y = LayerNorm.apply(x, m.create(new double[] {1, 1, 1, 1}),
          m.create(new double[] {0, 0, 0, 0}), m.create(LayerNorm.EPSILON)).toDoubleArray();
      // mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5.
      double sd = Math.sqrt(3.5 + LayerNorm.EPSILON);
      assertEquals(-2 / sd, y[0], 1e-12);
      assertEquals(3 / sd, y[3], 1e-12);
    }
  }

  @Test
  void causalAttentionGradientsMatchFiniteDifferences() {
    try (NDManager m = NDManager.newBaseManager()) {
      int heads = 2;
      NDArray mask = CausalSelfAttention.mask(4, DataType.FLOAT64, m);
      NDArray scale = m.create(1 / Math.sqrt(2.0));
      FiniteDifferences.check(m,
          in -> CausalSelfAttention.apply(in.get(0), heads, mask, scale, null),
          new NDList(random(m, 2, 4, 12)), TOLERANCE);
    }
  }

  @Test
  void attentionAtTheFirstPositionReturnsItsOwnValue() {
    // Position 0 may attend only to itself: its output is its own value vector, whatever else.
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray qkv = random(m, 1, 3, 6);
      NDArray out = CausalSelfAttention.apply(qkv, 1, CausalSelfAttention.mask(3,
          DataType.FLOAT64, m), m.create(1 / Math.sqrt(2.0)), null);
      double[] q = qkv.toDoubleArray();
      double[] y = out.toDoubleArray();
      assertEquals(q[4], y[0], 1e-12);
      assertEquals(q[5], y[1], 1e-12);
    }
  }

  @Test
  void geluIsTheExactErfFormAndItsGradientMatchesFiniteDifferences() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = random(m, 3, 5).mul(3);
      double[] values = x.toDoubleArray();
      double[] gelu = Activation.gelu(x).toDoubleArray();
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        double expected = 0.5 * v * (1 + m.create(v / Math.sqrt(2)).erf().getDouble());
        assertEquals(expected, gelu[i], 1e-12, "gelu(" + v + ")");
      }
      FiniteDifferences.check(m, in -> Activation.gelu(in.get(0)), new NDList(x), TOLERANCE);
    }
  }

  @Test
  void embeddingGradientOfTheTableMatchesFiniteDifferences() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray oneHot = m.create(new long[] {2, 0, 2, 4, 1, 1}, new Shape(2, 3)).oneHot(5)
          .toType(DataType.FLOAT64, false);
      FiniteDifferences.check(m, in -> oneHot.matMul(in.get(0)), new NDList(random(m, 5, 4)),
          TOLERANCE);
    }
  }

  private static NDArray random(NDManager m, long... shape) {
    return m.randomUniform(-1, 1, new Shape(shape)).toType(DataType.FLOAT64, false);
  }
}
