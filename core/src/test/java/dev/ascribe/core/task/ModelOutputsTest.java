package dev.ascribe.core.task;

import dev.ascribe.core.model.Targets;
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
      NDArray oneHot = Targets.oneHot(m, new int[] {2, 0}, 3, DataType.FLOAT64);
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
  void onSequencesEachOutputIsTheMeanOverPositions() {
    // One example, T = 2 positions, 3 classes; targets: class 1 at position 0, class 0 at 1.
    double[] logits = {0.0, 1.0, 2.0, -1.0, 0.5, 0.25};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(logits, new Shape(1, 2, 3));
      NDArray oneHot = m.create(new double[] {0, 1, 0, 1, 0, 0}, new Shape(1, 2, 3));
      double z0 = Math.exp(0) + Math.exp(1) + Math.exp(2);
      double z1 = Math.exp(-1) + Math.exp(0.5) + Math.exp(0.25);
      double loss0 = Math.log(z0) - 1.0;
      double loss1 = Math.log(z1) + 1.0;
      assertEquals((loss0 + loss1) / 2,
          ModelOutputs.crossEntropy().perExample(x, oneHot).getDouble(0), 1e-12);
      assertEquals(-(loss0 + loss1) / 2,
          ModelOutputs.negLoss().perExample(x, oneHot).getDouble(0), 1e-12);
      double margin0 = 1.0 - Math.log(Math.exp(0) + Math.exp(2));
      double margin1 = -1.0 - Math.log(Math.exp(0.5) + Math.exp(0.25));
      assertEquals((margin0 + margin1) / 2,
          ModelOutputs.margin().perExample(x, oneHot).getDouble(0), 1e-12);
    }
  }

  @Test
  void unknownOutputNameIsRejectedWithTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelOutputs.byName("hinge"));
    assertEquals("model output given 'hinge': expected one of cross-entropy, margin, neg-loss, logit", e.getMessage());
  }
}
