package dev.ascribe.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Network;
import org.junit.jupiter.api.Test;

/**
 * Training must not depend on when the garbage collector runs. A tensor that DJL backs with a
 * Java direct buffer and autograd keeps for the backward pass reads freed memory once the buffer
 * is collected (see {@code Autograd.backward(NDArray, double)}); collecting continuously while
 * training makes such a bug show up as parameters that differ from a quiet run.
 */
class GarbageCollectionTest {
  @Test
  void trainingIsBitIdenticalWhileTheCollectorRunsContinuously() throws Exception {
    Dataset data = SgdTrainerTest.blobs(240, 20, 3, 5);
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(20, 3);
    double[] quiet = train(arch, data);
    Thread collector = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gc-hammer");
    collector.setDaemon(true);
    collector.start();
    try {
      for (int round = 0; round < 3; round++) {
        assertArrayEquals(quiet, train(arch, data), "round " + round + " under GC");
      }
    } finally {
      collector.interrupt();
      collector.join();
    }
  }

  private static double[] train(FeedForwardSpec arch, Dataset data) throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        Network net = Network.initialize(arch, manager, 17)) {
      new SgdTrainer(TrainOptions.builder().optBatchSize(4).setEpochs(4).build())
          .train(net, data, 17, null);
      return net.parametersAsDouble();
    }
  }
}
