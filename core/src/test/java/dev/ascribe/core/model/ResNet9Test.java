package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.grad.BatchGradients;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole ResNet-9 (every layer type: convolutions, batch normalization, ReLU, dropout,
 * residual sums, average pooling, linear) on a narrow network: per-example gradients against
 * float64 central finite differences of the model output, the one-pass (taps and probes) route
 * against the backward loop, the training step's batch gradient (batch statistics) against finite
 * differences, and the state through save, load, copy and checkpoints.
 */
class ResNet9Test {
  private static final ResNet9Spec SPEC = ResNet9Spec.of(3072, new int[] {2, 3, 3, 4}, 3, 0.1);
  private static final int BATCH = 3;
  private static final int[] LABELS = {0, 2, 1};

  @Test
  void layoutTapsProbesAndStateTileTheNetwork() {
    assertEquals(32, SPEC.layout().size());
    assertEquals(11, SPEC.tappedLayers().size());
    assertEquals(20, SPEC.probedBlocks().size());
    assertTrue(SPEC.onePassGradients());
    assertFalse(SPEC.tapsCoverParameters());
    assertEquals(PerExampleGradients.Method.TAPS, PerExampleGradients.methodFor(SPEC));
    // Stem 3*9*2 + 2*2; stage 1: 2*9*3, 3*9*3, 2*3, each + 2*3; stage 2: 3*9*3, 3*9*3, 3*3, each
    // + 2*3; stage 3: 3*9*4, 4*9*4, 3*4, each + 2*4; linear 4*3 + 3.
    int expected = 54 + 4 + 54 + 81 + 6 + 18 + 81 + 81 + 9 + 18 + 108 + 144 + 12 + 24 + 15;
    assertEquals(expected, SPEC.numParameters());
    assertEquals(2 * (2 + 3 * 3 + 3 * 3 + 3 * 4), SPEC.stateSize());
    assertEquals(SPEC, ModelKind.fromMap(SPEC.toMap()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResNet9Spec.of(784, new int[] {2, 3, 3, 4}, 10, 0));
    assertTrue(e.getMessage().contains("3072") && e.getMessage().contains("784"), e.getMessage());
  }

  @Test
  void perExampleGradientsMatchFiniteDifferencesInFloat64() {
    try (NDManager m = NDManager.newBaseManager();
        Model net = nonTrivial(m).copy(DataType.FLOAT64)) {
      NDArray x = ResNet9LayersTest.image(m, BATCH, 5, DataType.FLOAT64);
      ModelOutput f = ModelOutputs.margin();
      double[] taps = PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, LABELS,
          f).toDoubleArray();
      double[] loop = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net,
          x, LABELS, f).toDoubleArray();
      double[] theta = net.parametersAsDouble();
      int d = theta.length;
      SplittableRandom rng = new SplittableRandom(3);
      double eps = 1e-6;
      for (ParameterBlock b : SPEC.layout()) {
        for (int s = 0; s < 2; s++) {
          int j = b.offset() + rng.nextInt(b.size());
          double[] plus = outputs(net, theta, j, eps, x, f);
          double[] minus = outputs(net, theta, j, -eps, x, f);
          for (int i = 0; i < BATCH; i++) {
            double fd = (plus[i] - minus[i]) / (2 * eps);
            assertEquals(fd, loop[i * d + j], 1e-6 * Math.max(1, Math.abs(fd)),
                b.name() + " entry " + j + " example " + i);
            assertEquals(loop[i * d + j], taps[i * d + j], 1e-10, b.name() + " taps " + j);
          }
        }
      }
      net.setParameters(theta);
    }
  }

  @Test
  void onePassGradientsEqualTheBackwardLoopInFloat32() {
    try (NDManager m = NDManager.newBaseManager(); Model net = nonTrivial(m)) {
      NDArray x = ResNet9LayersTest.image(m, BATCH, 6, DataType.FLOAT32);
      double[] taps = PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, LABELS,
          ModelOutputs.margin()).toType(DataType.FLOAT64, false).toDoubleArray();
      double[] loop = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net,
          x, LABELS, ModelOutputs.margin()).toType(DataType.FLOAT64, false).toDoubleArray();
      double scale = 0;
      for (double v : loop) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 1e-3, "gradients are not all zero");
      for (int i = 0; i < loop.length; i++) {
        assertEquals(loop[i], taps[i], 1e-5 * scale, "entry " + i);
      }
    }
  }

  @Test
  void trainingStepGradientUsesBatchStatisticsByFiniteDifferences() {
    try (NDManager m = NDManager.newBaseManager();
        Model net = nonTrivial(m).copy(DataType.FLOAT64)) {
      NDArray x = ResNet9LayersTest.image(m, BATCH, 7, DataType.FLOAT64);
      DropoutMasks step = DropoutMasks.seeded(0, 1); // a training step without dropout
      assertTrue(step.training() && !step.active());
      assertFalse(DropoutMasks.NONE.training());
      NDList grads = BatchGradients.mean(net, x, LABELS, ModelOutputs.crossEntropy(), step);
      double[] flat = new double[SPEC.numParameters()];
      int at = 0;
      for (NDArray g : grads) {
        double[] v = g.toDoubleArray();
        System.arraycopy(v, 0, flat, at, v.length);
        at += v.length;
      }
      double[] theta = net.parametersAsDouble();
      double[] state = net.stateAsDouble();
      SplittableRandom rng = new SplittableRandom(4);
      double eps = 1e-6;
      for (ParameterBlock b : SPEC.layout()) {
        int j = b.offset() + rng.nextInt(b.size());
        double fd = (meanLoss(net, theta, j, eps, x, step) - meanLoss(net, theta, j, -eps, x, step))
            / (2 * eps);
        assertEquals(fd, flat[j], 1e-6 * Math.max(1, Math.abs(fd)), b.name() + " entry " + j);
      }
      // A training pass moved the running statistics; inference passes do not.
      assertFalse(java.util.Arrays.equals(state, SPEC.initialize(m, 1).stateAsDouble()));
      double[] before = net.stateAsDouble();
      net.logits(x);
      assertArrayEquals(before, net.stateAsDouble());
    }
  }

  @Test
  void stateAndParametersSurviveSaveLoadCopyAndCheckpoints() throws IOException {
    try (NDManager m = NDManager.newBaseManager(); Model net = nonTrivial(m)) {
      NDArray x = ResNet9LayersTest.image(m, BATCH, 8, DataType.FLOAT32);
      float[] logits = net.logits(x).toFloatArray();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      net.save(bytes);
      try (Model loaded = SPEC.open(m, DataType.FLOAT32)) {
        loaded.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(net.parametersAsDouble(), loaded.parametersAsDouble());
        assertArrayEquals(net.stateAsDouble(), loaded.stateAsDouble());
        assertArrayEquals(logits, loaded.logits(x).toFloatArray());
      }
      try (Model copy = net.copy(DataType.FLOAT32)) {
        assertArrayEquals(net.stateAsDouble(), copy.stateAsDouble());
        assertArrayEquals(logits, copy.logits(x).toFloatArray());
      }
      try (Model opened = Checkpoint.of("c", net).open(m)) {
        assertArrayEquals(net.stateAsDouble(), opened.stateAsDouble());
        assertArrayEquals(logits, opened.logits(x).toFloatArray());
      }
      byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), 100);
      try (Model other = SPEC.open(m, DataType.FLOAT32)) {
        assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(truncated)));
      }
    }
  }

  @Test
  void initializationIsSeededAndFollowsPyTorchsRules() {
    try (NDManager m = NDManager.newBaseManager();
        Model a = SPEC.initialize(m, 9); Model b = SPEC.initialize(m, 9)) {
      assertArrayEquals(a.parametersAsDouble(), b.parametersAsDouble());
      double[] theta = a.parametersAsDouble();
      List<ParameterBlock> layout = SPEC.layout();
      ParameterBlock stem = layout.get(0);
      double bound = 1 / Math.sqrt(27);
      for (int k = stem.offset(); k < stem.end(); k++) {
        assertTrue(Math.abs(theta[k]) <= bound);
      }
      assertEquals(1.0, theta[layout.get(1).offset()]);
      assertEquals(0.0, theta[layout.get(2).offset()]);
      double[] state = a.stateAsDouble();
      assertEquals(0.0, state[0]);
      assertEquals(1.0, state[2]);
    }
  }

  /** A seeded model with γ, β and running statistics away from their initial 1, 0, 0, 1. */
  private static Model nonTrivial(NDManager m) {
    Model net = SPEC.initialize(m, 1);
    double[] theta = net.parametersAsDouble();
    SplittableRandom rng = new SplittableRandom(2);
    for (int j : SPEC.probedBlocks()) {
      ParameterBlock b = SPEC.layout().get(j);
      for (int k = b.offset(); k < b.end(); k++) {
        theta[k] += 0.3 * (rng.nextDouble() - 0.5);
      }
    }
    net.setParameters(theta);
    double[] state = net.stateAsDouble();
    for (int k = 0; k < state.length; k++) {
      state[k] += 0.2 * rng.nextDouble();
    }
    net.setState(state);
    return net;
  }

  private static double[] outputs(Model net, double[] theta, int j, double step, NDArray x,
      ModelOutput f) {
    double[] moved = theta.clone();
    moved[j] += step;
    net.setParameters(moved);
    NDArray logits = net.logits(x);
    return f.perExample(logits, net.targets(x, LABELS, logits.getDataType()))
        .toDoubleArray();
  }

  private static double meanLoss(Model net, double[] theta, int j, double step, NDArray x,
      DropoutMasks masks) {
    double[] moved = theta.clone();
    moved[j] += step;
    net.setParameters(moved);
    NDArray logits = net.forward(x, net.parameters(), masks, false).logits();
    double[] loss = ModelOutputs.crossEntropy().perExample(logits,
        net.targets(x, LABELS, logits.getDataType())).toDoubleArray();
    net.setParameters(theta);
    return java.util.Arrays.stream(loss).average().orElseThrow();
  }
}
