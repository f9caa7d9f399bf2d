package dev.ascribe.core.task;

import dev.ascribe.core.grad.Backprop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Loss and margin against their closed forms, including logits large enough to overflow exp. */
class ModelOutputsTest {
  @Test
  void marginIsLogOddsOfTheTrueClassAndLossIsMinusLogProbability() {
    double[] logits = {1.0, -2.0, 0.5, 3.0, 900.0, 899.0};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(logits, new Shape(2, 3));
      NDArray oneHot = Backprop.oneHot(m, new int[] {2, 0}, 3, DataType.FLOAT64);
      double[] margin = ModelOutputs.margin().perExample(x, oneHot).toDoubleArray();
      double[] loss = ModelOutputs.crossEntropy().perExample(x, oneHot).toDoubleArray();
      // Row 0: p = softmax(1, -2, 0.5), y = 2: margin = log(p2 / (1 - p2)) = 0.5 - log(e^1 + e^-2).
      double p2 = Math.exp(0.5) / (Math.exp(1) + Math.exp(-2) + Math.exp(0.5));
      assertEquals(Math.log(p2 / (1 - p2)), margin[0], 1e-12);
      assertEquals(-Math.log(p2), loss[0], 1e-12);
      // Row 1: logits (3, 900, 899), y = 0: margin = 3 - (900 + log(1 + e^-1)); no overflow.
      assertEquals(3 - (900 + Math.log(1 + Math.exp(-1))), margin[1], 1e-9);
      assertEquals(900 + Math.log(1 + Math.exp(-1) + Math.exp(-897)) - 3, loss[1], 1e-9);
    }
  }

  @Test
  void unknownOutputNameIsRejectedWithTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelOutputs.byName("hinge"));
    assertEquals("model output given 'hinge': expected one of cross-entropy, margin, neg-loss, logit", e.getMessage());
  }
}
