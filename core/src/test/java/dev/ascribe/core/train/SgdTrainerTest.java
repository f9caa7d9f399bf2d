package dev.ascribe.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.LastLayerTapped;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SgdTrainerTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Gaussian blobs around class-specific centres: linearly separable with margin. */
  static Dataset blobs(int n, int dim, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * dim];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      y[i] = i % classes;
      for (int j = 0; j < dim; j++) {
        double centre = (j % classes == y[i]) ? 1.5 : 0;
        x[i * dim + j] = (float) (centre + 0.5 * rng.nextGaussian());
      }
    }
    return new Dataset("blobs", ids, x, y, dim, classes);
  }

  private static double[] train(ModelSpec arch, Dataset data, long seed, boolean[] skip)
      throws Exception {
    try (Model net = arch.initialize(manager, seed)) {
      new SgdTrainer(TrainOptions.builder().optBatchSize(16).setEpochs(3).build())
          .train(net, data, skip, seed, null);
      return net.parametersAsDouble();
    }
  }

  @Test
  void sameSeedGivesIdenticalParametersAndAnotherSeedDoesNot() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.mlp(20, new int[] {16, 8}, 3, 0.1);
    Dataset data = blobs(200, 20, 3, 1);
    double[] a = train(arch, data, 7, null);
    double[] b = train(arch, data, 7, null);
    double[] c = train(arch, data, 8, null);
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c));
  }

  @Test
  void aModelWithUntappedParametersTrainsByAutogradToTheSameParameters() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.mlp(20, new int[] {16, 8}, 3, 0.1);
    Dataset data = blobs(200, 20, 3, 5);
    double[] byTaps = train(arch, data, 7, null);
    double[] byAutograd = train(new LastLayerTapped(arch), data, 7, null);
    double worst = 0;
    for (int k = 0; k < byTaps.length; k++) {
      worst = Math.max(worst, Math.abs(byTaps[k] - byAutograd[k]));
    }
    assertTrue(worst < 1e-4, "taps and autograd training differ by " + worst);
  }

  @Test
  void concurrentTrainersInOneJvmMatchSequentialOnes() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.mlp(20, new int[] {16, 8}, 3, 0.1);
    Dataset data = blobs(200, 20, 3, 2);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (long seed = 0; seed < 3; seed++) {
        long s = seed;
        futures.add(pool.submit(() -> train(arch, data, s, null)));
      }
      for (int s = 0; s < 3; s++) {
        assertArrayEquals(train(arch, data, s, null), futures.get(s).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void learnsSeparableDataAndLeavesNoArraysBehind() throws Exception {
    Dataset data = blobs(300, 10, 3, 3);
    try (Network net = Network.initialize(FeedForwardSpec.logisticRegression(10, 3), manager, 1)) {
      int before = net.manager().getManagedArrays().size();
      double initial = Accuracy.of(net, data);
      List<Integer> epochs = new ArrayList<>();
      new SgdTrainer(TrainOptions.builder().setEpochs(5).build())
          .train(net, data, 1, (epoch, n) -> epochs.add(epoch));
      assertEquals(List.of(1, 2, 3, 4, 5), epochs);
      double trained = Accuracy.of(net, data);
      assertTrue(trained > 0.95 && trained > initial, "accuracy " + initial + " -> " + trained);
      assertEquals(before, net.manager().getManagedArrays().size(), "arrays leaked into the model");
    }
  }

  @Test
  void skippingRowsKeepsTheOtherRowsInTheFullModelsOrder() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(10, 3);
    Dataset data = blobs(64, 10, 3, 4);
    boolean[] none = new boolean[64];
    assertArrayEquals(train(arch, data, 5, null), train(arch, data, 5, none));
    boolean[] one = new boolean[64];
    one[10] = true;
    assertFalse(java.util.Arrays.equals(train(arch, data, 5, null), train(arch, data, 5, one)));
  }

  @Test
  void invalidOptionsAreRejectedWithTheirName() {
    assertEquals("train option lr given -0.1: must be a finite number > 0",
        assertThrows(IllegalArgumentException.class,
            () -> TrainOptions.builder().optLearningRate(-0.1).setEpochs(1).build()).getMessage());
    assertEquals("train option epochs given 0: must be >= 1 (it has no default)",
        assertThrows(IllegalArgumentException.class,
            () -> TrainOptions.builder().setEpochs(0).build()).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TrainOptions.builder().optMomentum(1).setEpochs(1).build()).getMessage()
        .contains("momentum given 1.0"));
  }
}
