package dev.ascribe.core.method;

import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Network;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Grad-Dot against its definition, summed by brute force from the independent gradient path. */
public class GradDotAttributorTest {
  static Dataset tiny(int n, int dim, int classes, long seed, String name) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * dim];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 100 + i;
      y[i] = rng.nextInt(classes);
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (float) rng.nextGaussian();
      }
    }
    return new Dataset(name, ids, x, y, dim, classes);
  }

  static Checkpoint checkpoint(FeedForwardSpec arch, long seed) {
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(arch, m, seed)) {
      return Checkpoint.of("c" + seed, net);
    }
  }

  /** Per-example gradients by one backward pass per example, as double rows. */
  public static double[][] loopGradients(Checkpoint c, Dataset data, ModelOutput out) {
    try (NDManager m = NDManager.newBaseManager(); Model net = c.open(m)) {
      int[] rows = Inputs.range(0, data.size());
      NDArray g = PerExampleGradients.compute(PerExampleGradients.Method.BACKWARD_LOOP, net,
          Inputs.features(data, rows, m), data.labels(rows), out);
      float[] flat = g.toFloatArray();
      int d = c.spec().numParameters();
      double[][] result = new double[data.size()][d];
      for (int i = 0; i < data.size(); i++) {
        for (int j = 0; j < d; j++) {
          result[i][j] = flat[i * d + j];
        }
      }
      return result;
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  @Test
  void equalsLossGradientDotMinusTargetGradient() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(5, new int[] {4}, 3, 0);
    Dataset train = tiny(7, 5, 3, 1, "train");
    Dataset queries = tiny(3, 5, 3, 2, "queries");
    List<Checkpoint> cps = List.of(checkpoint(arch, 1), checkpoint(arch, 2));
    AttributionTask task = AttributionTask.builder().setCheckpoints(cps).optBatchSize(3).build();
    ScoreMatrix s = new GradDotAttributor(task, null).attribute(train, queries);
    assertEquals(7, s.numTrain());
    assertEquals(3, s.numQueries());
    assertEquals(100, s.trainId(0));
    double[][] expected = new double[7][3];
    for (Checkpoint c : cps) {
      double[][] g = loopGradients(c, train, ModelOutputs.crossEntropy());
      double[][] f = loopGradients(c, queries, ModelOutputs.margin());
      for (int i = 0; i < 7; i++) {
        for (int q = 0; q < 3; q++) {
          expected[i][q] += -dot(g[i], f[q]) / cps.size();
        }
      }
    }
    for (int i = 0; i < 7; i++) {
      for (int q = 0; q < 3; q++) {
        assertEquals(expected[i][q], s.get(i, q), 1e-5 * (1 + Math.abs(expected[i][q])));
      }
    }
  }

  @Test
  void selfInfluenceIsNonNegativeForBothTargets() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(5, new int[] {6}, 3, 0);
    Dataset train = tiny(12, 5, 3, 4, "train");
    for (ModelOutput target : new ModelOutput[] {ModelOutputs.margin(), ModelOutputs.negLoss()}) {
      AttributionTask task = AttributionTask.builder()
          .setCheckpoints(List.of(checkpoint(arch, 3))).optTarget(target).build();
      ScoreMatrix s = new GradDotAttributor(task, null).attribute(train, train);
      for (int i = 0; i < 12; i++) {
        assertTrue(s.get(i, i) >= -1e-7, target + " self-influence " + s.get(i, i));
      }
    }
  }
}
