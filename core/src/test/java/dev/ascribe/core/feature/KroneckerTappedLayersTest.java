package dev.ascribe.core.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.grad.ProbedSequenceNet;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.task.ModelOutputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LoGra's Kronecker features on a model with a bias-less layer at several positions and probed
 * blocks: with identity sides they hold exactly the tapped layers' gradients (a bias-less layer's
 * ã is a, with no constant column), so their inner products equal those of the per-example
 * gradients restricted to the tapped layers' parameters; the probed blocks are left out.
 */
class KroneckerTappedLayersTest {
  private static final ProbedSequenceNet SPEC = new ProbedSequenceNet(3, 4, 5, 3);

  @Test
  void identitySidesGiveTheTappedLayersGradientInnerProducts() {
    int batch = 4;
    KroneckerGradients map = new KroneckerGradients(SPEC, new int[] {0, 1},
        new Projection[2], new Projection[2]);
    // W0 (5 x 3, no bias) and W1 with b1 (3 x (5 + 1)).
    assertEquals(5 * 3 + 3 * 6, map.outputDim());
    try (NDManager m = NDManager.newBaseManager();
        Model net = SPEC.initialize(m, 2).copy(DataType.FLOAT64);
        GradientMap.Session session = map.open(m)) {
      SplittableRandom rng = new SplittableRandom(6);
      double[] x = new double[batch * SPEC.inputDim()];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextGaussian();
      }
      Backprop pass = Backprop.run(net, m.create(x, new Shape(batch, SPEC.inputDim())),
          new int[] {0, 1, 2, 1}, ModelOutputs.margin(), DropoutMasks.NONE, 1.0);
      double[] features = session.apply(pass).toDoubleArray();
      NDArray grads = PerExampleGradients.of(pass);
      int d = SPEC.numParameters();
      double[] g = grads.toDoubleArray();
      int gamma = SPEC.layout().get(1).offset();
      int w1 = SPEC.layout().get(3).offset();
      int k = map.outputDim();
      for (int i = 0; i < batch; i++) {
        for (int j = 0; j < batch; j++) {
          double expected = 0;
          for (int p = 0; p < d; p++) {
            boolean tapped = p < gamma || p >= w1;
            expected += tapped ? g[i * d + p] * g[j * d + p] : 0;
          }
          double actual = 0;
          for (int p = 0; p < k; p++) {
            actual += features[i * k + p] * features[j * k + p];
          }
          assertEquals(expected, actual, 1e-10 * (1 + Math.abs(expected)), i + "," + j);
          assertTrue(i != j || expected > 1e-6, "self inner product is positive");
        }
      }
    }
  }

  @Test
  void logragTakesTheTappedLayersAndTheFactorizedProjectionIsRefused() {
    MethodSpec logra = new MethodSpec("logra", "margin", 0, ProjectionKind.GAUSSIAN, 7,
        MethodSpec.DEFAULT_LAMBDA, 32, java.util.Map.of());
    assertTrue(logra.featureDim(SPEC) > 0); // accepted: LoGra covers the tapped layers
    MethodSpec factorized = new MethodSpec("trak", "margin", 16, ProjectionKind.FACTORIZED, 7,
        MethodSpec.DEFAULT_LAMBDA, 32, java.util.Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> factorized.featureDim(SPEC));
    assertTrue(e.getMessage().contains("projection.kind factorized"), e.getMessage());
  }
}
