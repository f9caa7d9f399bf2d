package dev.ascribe.core.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.task.ModelOutputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One batched pass over a model with a bias-less layer at several positions and probed blocks
 * (a normalization's scale and shift) gives the same per-example and batch gradients as one
 * backward pass per example and autograd of the batch mean: the definition, by PyTorch.
 */
class ProbedBlocksTest {
  private static final ProbedSequenceNet SPEC = new ProbedSequenceNet(3, 4, 5, 3);
  private static final int BATCH = 6;

  @Test
  void aModelWithProbedBlocksTakesOnePassButNoKroneckerMethod() {
    assertTrue(SPEC.onePassGradients());
    assertFalse(SPEC.tapsCoverParameters());
    assertEquals(PerExampleGradients.Method.TAPS, PerExampleGradients.methodFor(SPEC));
  }

  @Test
  void perExampleGradientsFromTapsAndProbesEqualTheBackwardLoop() {
    try (NDManager m = NDManager.newBaseManager();
        Model net = SPEC.initialize(m, 7).copy(DataType.FLOAT64)) {
      NDArray x = inputs(m);
      int[] labels = labels();
      double[] taps = PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, labels,
          ModelOutputs.margin()).toDoubleArray();
      double[] loop = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net,
          x, labels, ModelOutputs.margin()).toDoubleArray();
      assertEquals(BATCH * SPEC.numParameters(), taps.length);
      double largest = 0;
      for (int i = 0; i < loop.length; i++) {
        assertEquals(loop[i], taps[i], 1e-12, "entry " + i);
        largest = Math.max(largest, Math.abs(loop[i]));
      }
      assertTrue(largest > 1e-2, "gradients are not all zero");
      // The probed blocks' columns (γ, β) are not zero: the probes are wired in.
      int gamma = SPEC.layout().get(1).offset();
      double probed = 0;
      for (int b = 0; b < BATCH; b++) {
        for (int j = 0; j < 2 * SPEC.hidden(); j++) {
          probed = Math.max(probed, Math.abs(taps[b * SPEC.numParameters() + gamma + j]));
        }
      }
      assertTrue(probed > 1e-3, "probed block gradients are zero");
    }
  }

  @Test
  void batchGradientsFromTapsAndProbesEqualAutogradOfTheMean() {
    try (NDManager m = NDManager.newBaseManager();
        Model net = SPEC.initialize(m, 11).copy(DataType.FLOAT64)) {
      NDArray x = inputs(m);
      int[] labels = labels();
      NDList fromTaps = BatchGradients.mean(net, x, labels, ModelOutputs.crossEntropy(),
          DropoutMasks.NONE);
      NDArray perExample = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP,
          net, x, labels, ModelOutputs.crossEntropy());
      double[] mean = perExample.mean(new int[] {0}).toDoubleArray();
      int at = 0;
      for (int k = 0; k < fromTaps.size(); k++) {
        assertEquals(new Shape(SPEC.layout().get(k).shape()), fromTaps.get(k).getShape());
        double[] block = fromTaps.get(k).toDoubleArray();
        for (double v : block) {
          assertEquals(mean[at++], v, 1e-12, "parameter " + (at - 1));
        }
      }
    }
  }

  private static NDArray inputs(NDManager m) {
    SplittableRandom rng = new SplittableRandom(3);
    double[] x = new double[BATCH * SPEC.inputDim()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    return m.create(x, new Shape(BATCH, SPEC.inputDim()));
  }

  private static int[] labels() {
    int[] labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = i % SPEC.numClasses();
    }
    return labels;
  }
}
