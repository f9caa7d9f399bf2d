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
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.grad.BatchGradients;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole GPT: per-example gradients against float64 finite differences of each example's
 * mean next-token loss, the one-pass route (taps and probes) against one backward pass per
 * example, the causal mask, targets, initialization and the file round trip.
 */
class GptTest {
  /** V = 7, T = 4, 2 blocks, 2 heads, E = 4: every kind of parameter, and two blocks. */
  private static final GptSpec TINY = new GptSpec(7, 4, 2, 2, 4, 0);
  /** The same with one block: few enough parameters (331) for finite differences of each. */
  private static final GptSpec ONE_BLOCK = new GptSpec(7, 4, 1, 2, 4, 0);
  private static final int BATCH = 3;

  @Test
  void layoutIsTiledAndTapsAndProbesCoverEveryParameterInOnePass() {
    assertEquals(TINY.numParameters(), TINY.layout().get(TINY.layout().size() - 1).end());
    assertEquals(2 * 4 + 1, TINY.tappedLayers().size());
    assertTrue(TINY.onePassGradients());
    assertFalse(TINY.tapsCoverParameters());
    assertEquals(PerExampleGradients.Method.TAPS, PerExampleGradients.methodFor(TINY));
    GptSpec setting = new GptSpec(65, 32, 2, 4, 64, 0);
    // wte 4,160 + wpe 2,048 + 2 blocks x 49,984 + final LayerNorm 128 + head 4,225.
    assertEquals(110_529, setting.numParameters());
    assertEquals(setting, ModelKind.fromMap(setting.toMap()));
    assertEquals("gpt-l2-h4-e64", setting.name());
  }

  @Test
  void badShapesAreRejectedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GptSpec(65, 32, 2, 3, 64, 0));
    assertEquals("model.embd given 64 and model.heads 3: both must be >= 1 and heads must divide"
        + " embd", e.getMessage());
  }

  @Test
  void perExampleGradientsMatchFiniteDifferencesOfEachExamplesMeanLoss() {
    ModelOutput loss = ModelOutputs.crossEntropy();
    try (NDManager m = NDManager.newBaseManager(); Model net = randomNet(m, ONE_BLOCK, 3)) {
      NDArray x = tokens(m, ONE_BLOCK, BATCH, 5);
      int[] labels = lastTokens(x);
      double[] loop = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net,
          x, labels, loss).toDoubleArray();
      double[] taps = PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, labels,
          loss).toDoubleArray();
      double[] theta = net.parametersAsDouble();
      int d = theta.length;
      double step = 1e-6;
      for (int j = 0; j < d; j++) {
        double[] plus = values(net, theta, j, step, x, labels, loss);
        double[] minus = values(net, theta, j, -step, x, labels, loss);
        for (int b = 0; b < BATCH; b++) {
          double fd = (plus[b] - minus[b]) / (2 * step);
          assertEquals(fd, loop[b * d + j], 1e-7, "loop, example " + b + " parameter " + j);
          assertEquals(fd, taps[b * d + j], 1e-7, "taps, example " + b + " parameter " + j);
        }
      }
    }
  }

  @Test
  void onePassGradientsEqualTheBackwardLoopInFloat32AndFloat64() {
    GptSpec spec = new GptSpec(65, 8, 2, 4, 16, 0);
    try (NDManager m = NDManager.newBaseManager(); Model net32 = spec.initialize(m, 4);
        Model net64 = net32.copy(DataType.FLOAT64)) {
      NDArray x = tokens(m, spec, 5, 6);
      int[] labels = lastTokens(x);
      for (ModelOutput output : new ModelOutput[] {ModelOutputs.margin(), ModelOutputs.negLoss()}) {
        assertClose(net32, x, labels, output, 1e-5);
        assertClose(net64, x, labels, output, 1e-11);
      }
    }
  }

  private static void assertClose(Model net, NDArray x, int[] labels, ModelOutput output,
      double relative) {
    double[] taps = PerExampleGradients.compute(PerExampleGradients.Method.TAPS, net, x, labels,
        output).toType(DataType.FLOAT64, false).toDoubleArray();
    double[] loop = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net, x,
        labels, output).toType(DataType.FLOAT64, false).toDoubleArray();
    double largest = 0;
    for (double v : loop) {
      largest = Math.max(largest, Math.abs(v));
    }
    assertTrue(largest > 1e-3, "gradients are not all zero");
    for (int i = 0; i < loop.length; i++) {
      assertEquals(loop[i], taps[i], relative * largest, net.dataType() + " entry " + i);
    }
  }

  @Test
  void batchGradientsAreTheMeanOfThePerExampleGradients() {
    try (NDManager m = NDManager.newBaseManager(); Model net = randomNet(m, TINY, 8)) {
      NDArray x = tokens(m, TINY, 4, 9);
      int[] labels = lastTokens(x);
      NDList mean = BatchGradients.mean(net, x, labels, ModelOutputs.crossEntropy(),
          DropoutMasks.NONE);
      double[] expected = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP,
          net, x, labels, ModelOutputs.crossEntropy()).mean(new int[] {0}).toDoubleArray();
      int at = 0;
      for (NDArray block : mean) {
        for (double v : block.toDoubleArray()) {
          assertEquals(expected[at++], v, 1e-12);
        }
      }
    }
  }

  @Test
  void changingALaterTokenLeavesEarlierPositionsUnchanged() {
    try (NDManager m = NDManager.newBaseManager(); Model net = randomNet(m, TINY, 12)) {
      NDArray x = tokens(m, TINY, 1, 13);
      float[] row = x.toFloatArray();
      float[] changed = row.clone();
      int t = 2;
      changed[t] = (row[t] + 1) % TINY.numClasses();
      double[] before = net.logits(x).toDoubleArray();
      double[] after = net.logits(m.create(changed, x.getShape())).toDoubleArray();
      int v = TINY.numClasses();
      for (int i = 0; i < t * v; i++) {
        assertEquals(before[i], after[i], 1e-14, "position " + i / v + " sees position " + t);
      }
      double moved = 0;
      for (int i = t * v; i < before.length; i++) {
        moved = Math.max(moved, Math.abs(before[i] - after[i]));
      }
      assertTrue(moved > 1e-6, "positions from " + t + " on depend on token " + t);
    }
  }

  @Test
  void targetsAreTheInputsShiftedByOneOneHot() {
    try (NDManager m = NDManager.newBaseManager(); Model net = TINY.initialize(m, 1)) {
      NDArray x = m.create(new float[] {1, 2, 3, 4, 5}, new Shape(1, 5));
      NDArray targets = net.targets(x, new int[] {5}, DataType.FLOAT32);
      assertEquals(new Shape(1, 4, 7), targets.getShape());
      assertArrayEquals(new long[] {2, 3, 4, 5}, targets.argMax(-1).toLongArray());
      assertEquals(new Shape(1, 4, 7), net.logits(x).getShape());
    }
  }

  @Test
  void initializationIsSeededNanoGptStyle() {
    GptSpec spec = new GptSpec(65, 32, 2, 4, 64, 0);
    try (NDManager m = NDManager.newBaseManager(); Model a = spec.initialize(m, 5);
        Model b = spec.initialize(m, 5); Model c = spec.initialize(m, 6)) {
      double[] theta = a.parametersAsDouble();
      assertArrayEquals(theta, b.parametersAsDouble());
      assertFalse(java.util.Arrays.equals(theta, c.parametersAsDouble()));
      ParameterBlock wte = spec.layout().get(0);
      assertEquals(0.02, std(theta, wte), 0.001);
      ParameterBlock proj = spec.layout().get(GptSpec.firstBlockOf(0) + 4);
      assertEquals("h0.proj.weight", proj.name());
      assertEquals(0.01, std(theta, proj), 0.001);
      ParameterBlock ln1 = spec.layout().get(GptSpec.firstBlockOf(0));
      assertEquals(1.0, theta[ln1.offset()]);
      assertEquals(0.0, theta[ln1.end()]);
    }
  }

  @Test
  void saveLoadAndCopyRoundTripExactly() throws IOException {
    try (NDManager m = NDManager.newBaseManager(); Model net = TINY.initialize(m, 2);
        Model other = TINY.open(m, DataType.FLOAT32); Model copy = net.copy(DataType.FLOAT32)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      net.save(bytes);
      other.load(new ByteArrayInputStream(bytes.toByteArray()));
      assertArrayEquals(net.parametersAsDouble(), other.parametersAsDouble());
      assertArrayEquals(net.parametersAsDouble(), copy.parametersAsDouble());
      GptSpec wider = new GptSpec(7, 4, 2, 2, 8, 0);
      try (Model wrong = wider.open(m, DataType.FLOAT32)) {
        IOException e = assertThrows(IOException.class,
            () -> wrong.load(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("expects 41475031 and " + wider.numParameters()),
            e.getMessage());
      }
    }
  }

  /** A float64 copy of {@code spec} with parameters uniform in ±0.5 (larger than the init's). */
  private static Model randomNet(NDManager m, GptSpec spec, long seed) {
    Model net = spec.open(m, DataType.FLOAT64);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] theta = new double[spec.numParameters()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = rng.nextDouble() - 0.5;
    }
    net.setParameters(theta);
    return net;
  }

  /** Rows of T + 1 random token ids. */
  private static NDArray tokens(NDManager m, GptSpec spec, int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] ids = new float[rows * spec.inputDim()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(spec.numClasses());
    }
    return m.create(ids, new Shape(rows, spec.inputDim()));
  }

  private static int[] lastTokens(NDArray x) {
    long width = x.getShape().get(1);
    float[] ids = x.toFloatArray();
    int[] labels = new int[(int) x.getShape().get(0)];
    for (int b = 0; b < labels.length; b++) {
      labels[b] = (int) ids[(int) ((b + 1) * width - 1)];
    }
    return labels;
  }

  private static double[] values(Model net, double[] theta, int j, double step, NDArray x,
      int[] labels, ModelOutput output) {
    double[] shifted = theta.clone();
    shifted[j] += step;
    net.setParameters(shifted);
    try (NDManager scope = net.manager().newSubManager();
        Autograd.Scope noGrad = Autograd.gradMode(false)) {
      NDArray logits = net.logits(x);
      double[] v = output.perExample(logits, net.targets(x, labels, logits.getDataType()))
          .toDoubleArray();
      net.setParameters(theta);
      return v;
    }
  }

  private static double std(double[] theta, ParameterBlock b) {
    double sum = 0;
    double squares = 0;
    for (int i = b.offset(); i < b.end(); i++) {
      sum += theta[i];
      squares += theta[i] * theta[i];
    }
    double mean = sum / b.size();
    return Math.sqrt(squares / b.size() - mean * mean);
  }
}
