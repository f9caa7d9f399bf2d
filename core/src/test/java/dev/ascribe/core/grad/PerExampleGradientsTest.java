package dev.ascribe.core.grad;

import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.model.Targets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-example gradients against central finite differences of the definition, in float64, by both
 * methods; the choice between them; and the sum over positions of a layer applied at several.
 */
class PerExampleGradientsTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void logisticRegressionMatchesFiniteDifferencesOnEveryCoordinate() {
    checkAgainstFiniteDifferences(FeedForwardSpec.logisticRegression(12, 4), 5, 1e-6, -1);
  }

  @Test
  void smallMlpMatchesFiniteDifferencesOnEveryCoordinate() {
    // ReLU kinks: a tiny step in float64 (PLATFORM.md: 1e-4 crosses kinks, 1e-7 agrees to 1e-10).
    checkAgainstFiniteDifferences(FeedForwardSpec.mlp(10, new int[] {7, 5}, 3, 0.1), 4, 1e-7, -1);
  }

  @Test
  void mnistMlpMatchesFiniteDifferencesOnSampledCoordinates() {
    checkAgainstFiniteDifferences(FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1), 2, 1e-7, 60);
  }

  @Test
  void loopAndTapsAgreeOnMnistMlp() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1);
    try (Network net = Network.initialize(arch, manager, 3);
        NDManager scope = manager.newSubManager()) {
      NDArray x = randomInputs(scope, 6, 784, DataType.FLOAT32, 5);
      int[] labels = {0, 3, 9, 1, 1, 7};
      for (ModelOutput out : new ModelOutput[] {ModelOutputs.margin(), ModelOutputs.crossEntropy()}) {
        float[] fast = PerExampleGradients.compute(net, x, labels, out).toFloatArray();
        float[] slow = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net, x,
            labels, out).toFloatArray();
        assertEquals(6L * arch.numParameters(), fast.length);
        double maxAbs = 0;
        double maxDiff = 0;
        for (int k = 0; k < fast.length; k++) {
          maxAbs = Math.max(maxAbs, Math.abs(slow[k]));
          maxDiff = Math.max(maxDiff, Math.abs(fast[k] - slow[k]));
        }
        assertTrue(maxAbs > 1e-3, "gradients are not all zero");
        assertTrue(maxDiff <= 1e-5 * maxAbs, out + ": max difference " + maxDiff + " of " + maxAbs);
      }
    }
  }

  @Test
  void partlyTappedModelMatchesFiniteDifferencesByTheBackwardLoop() {
    checkAgainstFiniteDifferences(
        new LastLayerTapped(FeedForwardSpec.mlp(6, new int[] {4}, 3, 0)), 3, 1e-7, -1);
  }

  @Test
  void tapsAreUsedWhenTheyCoverEveryParameterAndTheLoopOtherwise() {
    FeedForwardSpec ff = FeedForwardSpec.mlp(6, new int[] {4}, 3, 0);
    LastLayerTapped partly = new LastLayerTapped(ff);
    assertEquals(PerExampleGradients.Method.TAPS, PerExampleGradients.methodFor(ff));
    assertEquals(PerExampleGradients.Method.BACKWARD_LOOP, PerExampleGradients.methodFor(partly));
    try (Model net = partly.initialize(manager, 4); Model plain = ff.initialize(manager, 4);
        NDManager scope = manager.newSubManager()) {
      NDArray x = randomInputs(scope, 5, 6, DataType.FLOAT32, 8);
      int[] labels = {0, 1, 2, 0, 1};
      float[] reference = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP,
          plain, x, labels, ModelOutputs.margin()).toFloatArray();
      assertArrayEquals(reference,
          PerExampleGradients.compute(net, x, labels, ModelOutputs.margin()).toFloatArray());
      Backprop pass = Backprop.run(net, x, labels, ModelOutputs.margin(), DropoutMasks.NONE, 1);
      assertArrayEquals(reference, PerExampleGradients.of(pass).toFloatArray());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, labels,
              ModelOutputs.margin()));
      assertTrue(e.getMessage().contains("BACKWARD_LOOP"), e.getMessage());
    }
  }

  @Test
  void aLayerAppliedAtSeveralPositionsSumsItsGradientsOverThem() {
    int batch = 2;
    int positions = 4;
    int in = 3;
    int out = 2;
    FeedForwardSpec spec = FeedForwardSpec.logisticRegression(in, out);
    try (Model net = spec.open(manager, DataType.FLOAT64);
        NDManager scope = manager.newSubManager()) {
      double[] a = new SplittableRandom(1).doubles(batch * positions * in, -1, 1).toArray();
      double[] delta = new SplittableRandom(2).doubles(batch * positions * out, -1, 1).toArray();
      LayerGradient tap = new LayerGradient(scope.create(a, new Shape(batch, positions, in)),
          scope.create(delta, new Shape(batch, positions, out)));
      Backprop pass = new Backprop(new Backprop.Source(net, null, null, ModelOutputs.margin()),
          null, List.of(tap), scope.zeros(new Shape(batch), DataType.FLOAT64));
      double[] grads = PerExampleGradients.of(pass).toDoubleArray();
      int d = spec.numParameters();
      assertEquals(batch * d, grads.length);
      for (int i = 0; i < batch; i++) {
        for (int r = 0; r < out; r++) {
          double bias = 0;
          for (int t = 0; t < positions; t++) {
            bias += delta[(i * positions + t) * out + r];
          }
          assertEquals(bias, grads[i * d + out * in + r], 1e-12, "bias " + i + "," + r);
          for (int c = 0; c < in; c++) {
            double w = 0;
            for (int t = 0; t < positions; t++) {
              w += delta[(i * positions + t) * out + r] * a[(i * positions + t) * in + c];
            }
            assertEquals(w, grads[i * d + r * in + c], 1e-12, "weight " + i + "," + r + "," + c);
          }
        }
      }
    }
  }

  @Test
  void labelOutsideTheClassesIsRejected() {
    try (Network net = Network.initialize(FeedForwardSpec.logisticRegression(3, 2), manager, 1);
        NDManager scope = manager.newSubManager()) {
      NDArray x = randomInputs(scope, 1, 3, DataType.FLOAT32, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PerExampleGradients.compute(net, x, new int[] {2}, ModelOutputs.margin()));
      assertTrue(e.getMessage().contains("label 2"), e.getMessage());
    }
  }

  /**
   * Compares every (or {@code sampled} random) coordinate of each example's gradient, for the loss
   * and the margin, with (f(θ + ε e_j) - f(θ - ε e_j)) / 2ε, by both gradient methods.
   */
  private static void checkAgainstFiniteDifferences(ModelSpec arch, int batch, double eps,
      int sampled) {
    try (Model net32 = arch.initialize(manager, 11);
        Model net = net32.copy(DataType.FLOAT64);
        NDManager scope = manager.newSubManager()) {
      NDArray x = randomInputs(scope, batch, arch.inputDim(), DataType.FLOAT64, 2);
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        labels[i] = i % arch.numClasses();
      }
      double[] theta = net.parametersAsDouble();
      int d = theta.length;
      int[] coords = sampled < 0 ? range(d) : new SplittableRandom(4).ints(sampled, 0, d).toArray();
      for (ModelOutput out : new ModelOutput[] {ModelOutputs.crossEntropy(), ModelOutputs.margin()}) {
        for (PerExampleGradients.Method method : PerExampleGradients.Method.values()) {
          if (method == PerExampleGradients.Method.TAPS && !arch.tapsCoverParameters()) {
            continue;
          }
          double[] grads = PerExampleGradients.compute(method, net, x, labels, out).toDoubleArray();
          double worst = 0;
          for (int j : coords) {
            double saved = theta[j];
            theta[j] = saved + eps;
            net.setParameters(theta);
            double[] plus = values(net, x, labels, out);
            theta[j] = saved - eps;
            net.setParameters(theta);
            double[] minus = values(net, x, labels, out);
            theta[j] = saved;
            for (int i = 0; i < batch; i++) {
              double fd = (plus[i] - minus[i]) / (2 * eps);
              worst = Math.max(worst, Math.abs(fd - grads[i * d + j]));
            }
          }
          net.setParameters(theta);
          assertTrue(worst < 1e-6, arch + " " + out + " " + method + ": worst |fd - grad| " + worst);
        }
      }
    }
  }

  private static double[] values(Model net, NDArray x, int[] labels, ModelOutput out) {
    try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
      NDArray logits = net.logits(x);
      return out.perExample(logits, Targets.oneHot(x.getManager(), labels,
          net.spec().numClasses(), DataType.FLOAT64)).toDoubleArray();
    }
  }

  static NDArray randomInputs(NDManager m, int rows, int cols, DataType type, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] values = new float[rows * cols];
    for (int k = 0; k < values.length; k++) {
      values[k] = (float) rng.nextDouble();
    }
    return m.create(values, new Shape(rows, cols)).toType(type, false);
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
