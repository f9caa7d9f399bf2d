package dev.ascribe.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.BatchGradients;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.task.ModelOutputs;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Adam against its definition (Kingma and Ba; PyTorch's defaults), written out in doubles. */
class AdamTest {
  private static Dataset rows(int n) {
    SplittableRandom rng = new SplittableRandom(4);
    float[] x = new float[n * 5];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      y[i] = rng.nextInt(3);
      for (int j = 0; j < 5; j++) {
        x[i * 5 + j] = (float) rng.nextGaussian();
      }
    }
    return new Dataset("rows", ids, x, y, 5, 3);
  }

  @Test
  void threeFullBatchStepsFollowTheDefinition() throws IOException {
    FeedForwardSpec spec = FeedForwardSpec.logisticRegression(5, 3);
    Dataset data = rows(16);
    double lr = 0.05;
    TrainOptions options = TrainOptions.builder().optOptimizer(Optimizer.ADAM).optLearningRate(lr)
        .optBatchSize(16).setEpochs(3).build();
    try (NDManager m = NDManager.newBaseManager();
        Network trained = Network.initialize(spec, m, 1);
        Network reference = Network.initialize(spec, m, 1)) {
      new SgdTrainer(options).train(trained, data, 2, null);
      double[] theta = reference.parametersAsDouble();
      double[] first = new double[theta.length];
      double[] second = new double[theta.length];
      for (int t = 1; t <= 3; t++) {
        double[] g = gradient(reference, data, m);
        for (int i = 0; i < theta.length; i++) {
          first[i] = 0.9 * first[i] + 0.1 * g[i];
          second[i] = 0.999 * second[i] + 0.001 * g[i] * g[i];
          double mHat = first[i] / (1 - Math.pow(0.9, t));
          double sHat = second[i] / (1 - Math.pow(0.999, t));
          theta[i] -= lr * mHat / (Math.sqrt(sHat) + 1e-8);
        }
        reference.setParameters(theta);
      }
      double[] got = trained.parametersAsDouble();
      double[] start = Network.initialize(spec, m, 1).parametersAsDouble();
      double moved = 0;
      for (int i = 0; i < theta.length; i++) {
        assertEquals(theta[i], got[i], 1e-5, "parameter " + i);
        moved = Math.max(moved, Math.abs(got[i] - start[i]));
      }
      // Each Adam step moves a coordinate by up to about lr, whatever the gradient's scale.
      assertTrue(moved > lr, "largest move " + moved);
    }
  }

  private static double[] gradient(Network net, Dataset data, NDManager m) {
    try (NDManager scope = m.newSubManager()) {
      int[] all = Inputs.range(0, data.size());
      NDList grads = BatchGradients.mean(net, Inputs.features(data, all, scope),
          data.labels(all), ModelOutputs.crossEntropy(), DropoutMasks.NONE);
      double[] g = new double[net.spec().numParameters()];
      int off = 0;
      for (NDArray a : grads) {
        double[] v = a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        System.arraycopy(v, 0, g, off, v.length);
        off += v.length;
      }
      return g;
    }
  }

  @Test
  void optionsRecordTheOptimizerAndSgdsMapIsUnchanged() {
    TrainOptions sgd = TrainOptions.builder().setEpochs(2).build();
    assertEquals(Map.of("optimizer", "sgd", "lr", 0.01, "momentum", 0.9, "batch", 64, "epochs", 2),
        sgd.toMap());
    TrainOptions adam = TrainOptions.builder().optOptimizer(Optimizer.ADAM).setEpochs(2).build();
    assertEquals(Map.of("optimizer", "adam", "lr", 0.01, "beta1", 0.9, "beta2", 0.999, "eps",
        1e-8, "batch", 64, "epochs", 2), adam.toMap());
    assertEquals("train option optimizer given rmsprop: expected sgd or adam",
        assertThrows(IllegalArgumentException.class, () -> Optimizer.of("rmsprop")).getMessage());
  }
}
