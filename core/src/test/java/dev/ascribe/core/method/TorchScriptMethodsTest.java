package dev.ascribe.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.model.TorchScriptSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.train.SubsetRetraining;
import dev.ascribe.core.train.TrainOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MNIST MLP exported to TorchScript (fixture torchscript/mlp.pt, the built-in MLP with seed
 * 16) attributes like the built-in MLP, within DESIGN.md's tolerance max|Δ| ≤ 1e-5 · max|s|, and
 * gets the same LDS against subset models retrained from scratch; the methods that need layer taps
 * refuse it by name.
 */
class TorchScriptMethodsTest {
  private static Checkpoint builtIn;
  private static Checkpoint imported;
  private static Dataset train;
  private static Dataset queries;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    Path file = Path.of(TorchScriptMethodsTest.class.getResource("/torchscript/mlp.pt").toURI());
    TorchScriptSpec spec = TorchScriptSpec.inspect(file, Mnist.DIM, Mnist.NUM_CLASSES);
    try (NDManager m = NDManager.newBaseManager();
        Network net = Network.initialize(FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0), m,
            16);
        Model ts = spec.open(m, DataType.FLOAT32)) {
      builtIn = Checkpoint.of("built-in", net);
      imported = Checkpoint.of("torchscript", ts);
    }
    Path root = DataRoot.resolve(Optional.empty());
    train = Mnist.loadRange(root, Mnist.Split.TRAIN, 0, 120);
    queries = Mnist.loadRange(root, Mnist.Split.TEST, 0, 12);
  }

  private static MethodSpec spec(String method, ProjectionKind kind) {
    return new MethodSpec(method, "margin", 256, kind, 7, MethodSpec.DEFAULT_LAMBDA, 32, Map.of());
  }

  private static ScoreMatrix scores(MethodSpec spec, Checkpoint c) {
    return spec.create(List.of(c), 1).attribute(train, queries);
  }

  @Test
  void trakAndGradDotScoresEqualTheBuiltInMlpsWithinTolerance() {
    for (MethodSpec spec : List.of(spec("trak", ProjectionKind.SJLT),
        spec("grad-dot", ProjectionKind.GAUSSIAN))) {
      ScoreMatrix want = scores(spec, builtIn);
      ScoreMatrix got = scores(spec, imported);
      double scale = 0;
      double diff = 0;
      for (int i = 0; i < want.numTrain(); i++) {
        for (int q = 0; q < want.numQueries(); q++) {
          scale = Math.max(scale, Math.abs(want.get(i, q)));
          diff = Math.max(diff, Math.abs(want.get(i, q) - got.get(i, q)));
        }
      }
      assertTrue(scale > 0, spec.method());
      assertTrue(diff <= 1e-5 * scale, spec.method() + ": max|Δ| " + diff + " > 1e-5 · " + scale);
    }
  }

  @Test
  void ldsAgainstRetrainedSubsetModelsEqualsTheBuiltInMlps() throws IOException {
    TrainOptions options = TrainOptions.builder().optLearningRate(0.01).optMomentum(0.9)
        .optBatchSize(32).setEpochs(3).build();
    double[] lds = new double[2];
    List<Checkpoint> attributed = List.of(builtIn, imported);
    for (int k = 0; k < 2; k++) {
      Checkpoint c = attributed.get(k);
      ScoreMatrix s = scores(spec("trak", ProjectionKind.SJLT), c);
      float[][] tau = new float[s.numTrain()][s.numQueries()];
      for (int i = 0; i < s.numTrain(); i++) {
        for (int q = 0; q < s.numQueries(); q++) {
          tau[i][q] = s.get(i, q);
        }
      }
      // Retrained from scratch: the imported module by its own initialization rule.
      SubsetRetraining retraining = new SubsetRetraining(c.spec(), options, 6, 0.5, 3);
      int[][] subsets = new int[6][];
      double[][] margins = new double[6][];
      try (NDManager m = NDManager.newBaseManager()) {
        for (int j = 0; j < 6; j++) {
          SubsetRetraining.Outcome o = retraining.trainOne(j, train, queries, m);
          subsets[j] = o.subsetRows();
          margins[j] = o.margin();
        }
      }
      lds[k] = Lds.evaluate(tau, subsets, margins).summary().mean();
    }
    assertTrue(Double.isFinite(lds[0]) && lds[0] != 0, "built-in LDS " + lds[0]);
    assertEquals(lds[0], lds[1], 1e-6, "LDS of the built-in and the imported MLP");
  }

  @Test
  void methodsThatNeedLayerTapsRefuseTheImportedModelByName() {
    for (String method : List.of("if-kfac", "if-ekfac", "logra", "rps")) {
      MethodSpec spec = spec(method, ProjectionKind.SJLT);
      String message = assertThrows(IllegalArgumentException.class,
          () -> spec.create(List.of(imported), 1)).getMessage();
      assertTrue(message.startsWith("method " + method + " needs a model whose layers are tapped"),
          message);
      assertTrue(message.contains("model torchscript:mlp.pt (model.kind torchscript) has 0 tapped"
          + " layers"), message);
      // Also where the command line meets the method first: preparing its checkpoints.
      assertEquals(message, assertThrows(IllegalArgumentException.class,
          () -> spec.prepare(List.of(imported), train, 1)).getMessage());
    }
    String factorized = assertThrows(IllegalArgumentException.class,
        () -> spec("trak", ProjectionKind.FACTORIZED).create(List.of(imported), 1)).getMessage();
    assertTrue(factorized.startsWith("projection.kind factorized needs a model whose layers are"
        + " tapped"), factorized);
    // The Hessian methods take it with the Gauss-Newton curvature (auto), not the exact Hessian.
    for (String method : List.of("if-explicit", "if-cg", "if-lissa", "if-arnoldi")) {
      assertEquals(imported.spec().numParameters(),
          spec(method, ProjectionKind.SJLT).featureDim(imported.spec()));
      MethodSpec hessian = new MethodSpec(method, "margin", 256, ProjectionKind.SJLT, 7,
          "0.01", 32, Map.of("curvature", "hessian"));
      String message = assertThrows(IllegalArgumentException.class,
          () -> hessian.create(List.of(imported), 1)).getMessage();
      assertTrue(message.startsWith("option " + method + ".curvature given hessian for model"
          + " torchscript:mlp.pt (model.kind torchscript)"), message);
    }
    // The built-in MLP is accepted by the same methods.
    spec("if-kfac", ProjectionKind.SJLT).featureDim(builtIn.spec());
    spec("trak", ProjectionKind.FACTORIZED).featureDim(builtIn.spec());
  }
}
