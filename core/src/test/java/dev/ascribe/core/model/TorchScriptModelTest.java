package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.grad.BatchGradients;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.task.ModelOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported TorchScript module (tools/export_torchscript.py made the fixtures): its parameters
 * and outputs against the built-in MLP it was exported from, gradients through the generic
 * backward path, and the files it must refuse.
 */
class TorchScriptModelTest {
  static Path fixture(String name) {
    try {
      return Path.of(TorchScriptModelTest.class.getResource("/torchscript/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The exported MLP, inspected for MNIST rows. */
  static TorchScriptSpec mlp() {
    return TorchScriptSpec.inspect(fixture("mlp.pt"), 784, 10);
  }

  private static NDArray rows(NDManager m, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    return m.create(x, new Shape(n, 784));
  }

  @Test
  void recordsParameterNamesAndShapesInModuleOrder() {
    TorchScriptSpec spec = mlp();
    assertEquals(List.of("0.weight (128, 784) at 0", "0.bias (128) at 100352",
        "2.weight (64, 128) at 100480", "2.bias (64) at 108672", "4.weight (10, 64) at 108736",
        "4.bias (10) at 109376"), spec.layout().stream().map(ParameterBlock::toString).toList());
    assertEquals(109386, spec.numParameters());
    assertEquals(BuiltInMlpFixture.spec().numParameters(), spec.numParameters());
    assertFalse(spec.tapsCoverParameters());
    assertEquals(PerExampleGradients.Method.BACKWARD_LOOP, PerExampleGradients.methodFor(spec));
    assertEquals("torchscript:mlp.pt", spec.name());
    assertEquals(List.of(fixture("mlp.pt").toString()), spec.checkpoints());
    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> shapes =
        (List<java.util.Map<String, Object>>) spec.toMap().get("parameter_shapes");
    assertEquals("0.weight", shapes.get(0).get("name"));
    assertEquals(List.of(128L, 784L), shapes.get(0).get("shape"));
    // model.json goes through JSON: numbers come back as doubles.
    com.google.gson.Gson gson = new com.google.gson.Gson();
    java.util.Map<String, Object> read = gson.fromJson(gson.toJson(spec.toMap()),
        new com.google.gson.reflect.TypeToken<java.util.Map<String, Object>>() {}.getType());
    assertEquals(spec, ModelKind.fromMap(read));
  }

  @Test
  void holdsTheBuiltInCheckpointsParametersAndComputesItsLogits() {
    try (NDManager m = NDManager.newBaseManager();
        Network builtIn = BuiltInMlpFixture.open(m);
        TorchScriptModel imported = mlp().open(m, ai.djl.ndarray.types.DataType.FLOAT32)) {
      assertArrayEquals(builtIn.parametersAsDouble(), imported.parametersAsDouble());
      NDArray x = rows(m, 5, 1);
      float[] want = builtIn.logits(x).toFloatArray();
      float[] got = imported.logits(x).toFloatArray();
      assertArrayEquals(want, got, 1e-5f);
    }
  }

  @Test
  void perExampleAndBatchGradientsMatchTheBuiltInTapsAndDoNotAccumulate() {
    try (NDManager m = NDManager.newBaseManager();
        Network builtIn = BuiltInMlpFixture.open(m);
        TorchScriptModel imported = mlp().open(m, ai.djl.ndarray.types.DataType.FLOAT32)) {
      NDArray x = rows(m, 6, 2);
      int[] labels = {0, 3, 9, 1, 1, 7};
      float[] want = PerExampleGradients.compute(builtIn, x, labels, ModelOutputs.margin())
          .toFloatArray();
      NDArray builtInMean = BatchGradients.mean(builtIn, x, labels, ModelOutputs.crossEntropy(),
          DropoutMasks.NONE).get(0);
      // Each call leaves gradients on the module's own parameters, where PyTorch accumulates
      // them: the next call must start from zero.
      for (int round = 0; round < 2; round++) {
        NDArray mean = BatchGradients.mean(imported, x, labels, ModelOutputs.crossEntropy(),
            DropoutMasks.NONE).get(0);
        assertArrayEquals(builtInMean.toFloatArray(), mean.toFloatArray(), 1e-6f);
        float[] got = PerExampleGradients.compute(imported, x, labels, ModelOutputs.margin())
            .toFloatArray();
        assertArrayEquals(want, got, 1e-5f);
      }
    }
  }

  @Test
  void initializesAsTheBuiltInMlpAndTrainsLikeIt() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        Network builtIn = Network.initialize(BuiltInMlpFixture.spec(), m, 5);
        TorchScriptModel imported = mlp().initialize(m, 5)) {
      assertArrayEquals(builtIn.parametersAsDouble(), imported.parametersAsDouble());
      SplittableRandom rng = new SplittableRandom(3);
      int n = 96;
      float[] x = new float[n * 784];
      int[] y = new int[n];
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = i;
        y[i] = rng.nextInt(10);
        for (int j = 0; j < 784; j++) {
          x[i * 784 + j] = (float) rng.nextDouble();
        }
      }
      dev.ascribe.core.data.Dataset rows = new dev.ascribe.core.data.Dataset("rows", ids, x, y,
          784, 10);
      dev.ascribe.core.train.TrainOptions options = dev.ascribe.core.train.TrainOptions.builder()
          .optLearningRate(0.01).optMomentum(0.9).optBatchSize(32).setEpochs(2).build();
      new dev.ascribe.core.train.SgdTrainer(options).train(builtIn, rows, 9, null);
      new dev.ascribe.core.train.SgdTrainer(options).train(imported, rows, 9, null);
      double[] want = builtIn.parametersAsDouble();
      double[] got = imported.parametersAsDouble();
      double moved = 0;
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-6, "parameter " + i);
      }
      try (Network start = Network.initialize(BuiltInMlpFixture.spec(), m, 5)) {
        double[] before = start.parametersAsDouble();
        for (int i = 0; i < want.length; i++) {
          moved = Math.max(moved, Math.abs(want[i] - before[i]));
        }
      }
      assertTrue(moved > 1e-3, "training moved the parameters by " + moved);
    }
  }

  @Test
  void savedParametersLoadBackAndTheForwardRefusesOtherArrays() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptModel a = mlp().open(m, ai.djl.ndarray.types.DataType.FLOAT32);
        TorchScriptModel b = mlp().open(m, ai.djl.ndarray.types.DataType.FLOAT32)) {
      double[] theta = a.parametersAsDouble();
      theta[0] = 0.25;
      theta[theta.length - 1] = -0.5;
      a.setParameters(theta);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      a.save(out);
      b.load(new ByteArrayInputStream(out.toByteArray()));
      assertArrayEquals(theta, b.parametersAsDouble());
      NDArray x = rows(m, 2, 3);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> a.forward(x, Autograd.leafCopies(a.parameters(), m), DropoutMasks.NONE, false));
      assertTrue(e.getMessage().contains("runs only over its own parameters"), e.getMessage());
    }
  }

  @Test
  void runsInEvalModeWithDropoutOff() {
    TorchScriptSpec spec = TorchScriptSpec.inspect(fixture("dropout.pt"), 784, 10);
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptModel net = spec.open(m, ai.djl.ndarray.types.DataType.FLOAT32);
        Autograd.Scope grad = Autograd.gradMode(true)) {
      NDArray x = rows(m, 4, 4);
      assertArrayEquals(net.logits(x).toFloatArray(), net.logits(x).toFloatArray());
    }
  }

  @Test
  void refusesFilesThatDoNotFitTheRowsNamingFileAndExpectation(@TempDir Path dir)
      throws IOException {
    assertEquals("option model.file: " + fixture("not-torchscript.pt") + " is not a TorchScript"
        + " file", refusal(fixture("not-torchscript.pt")).split(" \\(PyTorch")[0]);
    assertEquals("option model.file: " + fixture("five-classes.pt") + " returns shape (2, 5) for"
        + " a (2, 784) batch; expected (2, 10): one logit per class of the labels (10 classes)",
        refusal(fixture("five-classes.pt")));
    assertTrue(refusal(fixture("no-parameters.pt")).startsWith("option model.file: "
        + fixture("no-parameters.pt") + " has no trainable parameters"));
    String width = refusal(fixture("input-100.pt"));
    assertTrue(width.startsWith("option model.file: " + fixture("input-100.pt") + " failed on a"
        + " (2, 784) float32 batch"), width);
    assertTrue(width.endsWith("expected forward(x) to take one tensor of shape (B, 784)"), width);
    assertEquals("option model.file given folder " + dir + ": it holds no .pt file; expected"
        + " TorchScript files, one per checkpoint", refusal(dir));
    Files.copy(fixture("mlp.pt"), dir.resolve("a.pt"));
    Files.copy(fixture("dropout.pt"), dir.resolve("b.pt"));
    assertTrue(refusal(dir).endsWith("every checkpoint must be the same module"));
  }

  @Test
  void aFolderIsOneCheckpointPerFileInNameOrder(@TempDir Path dir) throws IOException {
    Files.copy(fixture("mlp.pt"), dir.resolve("epoch-2.pt"));
    Files.copy(fixture("mlp.pt"), dir.resolve("epoch-1.pt"));
    Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
    TorchScriptSpec spec = TorchScriptSpec.inspect(dir, 784, 10);
    assertEquals(List.of(dir.resolve("epoch-1.pt").toString(),
        dir.resolve("epoch-2.pt").toString()), spec.checkpoints());
    assertEquals(dir.resolve("epoch-1.pt").toString(), spec.file());
  }

  @Test
  void theKindReadsModelFileAndRefusesFeedForwardOptions() {
    assertEquals(mlp(), ModelKind.of("torchscript").parse(section(fixture("mlp.pt").toString(),
        List.of(), 0), 784, 10));
    assertEquals("option model.file: must name a TorchScript .pt file or a folder of them for"
        + " model.kind torchscript", assertThrows(IllegalArgumentException.class,
            () -> ModelKind.TORCHSCRIPT.parse(section("", List.of(), 0), 784, 10)).getMessage());
    assertEquals("option model.hidden: must be [] for model.kind torchscript: the module defines"
        + " its layers", assertThrows(IllegalArgumentException.class,
            () -> ModelKind.TORCHSCRIPT.parse(section("x.pt", List.of(8), 0), 784, 10))
            .getMessage());
    assertEquals("option model.dropout: must be 0 for model.kind torchscript: the module runs as"
        + " exported", assertThrows(IllegalArgumentException.class,
            () -> ModelKind.TORCHSCRIPT.parse(section("x.pt", List.of(), 0.1), 784, 10))
            .getMessage());
  }

  private static ModelSection section(String file, List<Integer> hidden, double dropout) {
    return new ModelSection() {
      @Override
      public List<Integer> intList(String key) {
        return hidden;
      }

      @Override
      public String string(String key) {
        return file;
      }

      @Override
      public double number(String key) {
        return dropout;
      }

      @Override
      public IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException("option model." + key + ": " + expected);
      }
    };
  }

  private static String refusal(Path file) {
    return assertThrows(IllegalArgumentException.class,
        () -> TorchScriptSpec.inspect(file, 784, 10)).getMessage();
  }
}
