package dev.ascribe.core.grad;

import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.task.ModelOutputs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Hessian-vector products against definitions: the analytic Hessian of logistic regression, and
 * float64 central differences of the autograd gradient on an MLP.
 */
public class HessianVectorProductTest {
  static final HessianVectorProduct.Options EXACT =
      new HessianVectorProduct.Options(DataType.FLOAT64, 7, 3);

  @Test
  void logisticRegressionMatchesTheAnalyticHessian() {
    int in = 5;
    int classes = 3;
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(in, classes);
    Dataset data = dataset(23, in, classes, 1);
    Checkpoint cp = checkpoint(arch, 2);
    double[][] h = analyticLogisticHessian(cp, data);
    double[][] v = directions(4, arch.numParameters(), 3);
    try (HessianVectorProduct hvp = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), EXACT)) {
      double[][] hv = hvp.apply(v);
      for (int j = 0; j < v.length; j++) {
        double[] expected = multiply(h, v[j]);
        assertArrayEquals(expected, hv[j], 1e-12 * norm(expected), "direction " + j);
      }
    }
  }

  @Test
  void mlpMatchesCentralDifferencesOfTheGradient() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5, 4}, 3, 0);
    Dataset data = dataset(31, 6, 3, 4);
    Checkpoint cp = checkpoint(arch, 5);
    double[][] v = directions(3, arch.numParameters(), 6);
    try (HessianVectorProduct hvp = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), EXACT)) {
      double[][] hv = hvp.apply(v);
      double eps = 1e-5;
      for (int j = 0; j < v.length; j++) {
        double[] plus = meanLossGradient(cp, data, v[j], eps);
        double[] minus = meanLossGradient(cp, data, v[j], -eps);
        double[] fd = new double[plus.length];
        for (int p = 0; p < fd.length; p++) {
          fd[p] = (plus[p] - minus[p]) / (2 * eps);
        }
        assertArrayEquals(fd, hv[j], 1e-7 * norm(fd), "direction " + j);
      }
    }
  }

  @Test
  void lastLayerBlockIsTheMatchingBlockOfTheFullHessian() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0);
    Dataset data = dataset(17, 6, 3, 7);
    Checkpoint cp = checkpoint(arch, 8);
    int[] rows = Inputs.range(0, data.size());
    try (HessianVectorProduct full = new HessianVectorProduct(cp, data, rows, EXACT);
        HessianVectorProduct last = new HessianVectorProduct(cp, data, rows, 1, EXACT)) {
      int offset = arch.offsetOf(1);
      assertEquals(offset, last.offset());
      assertEquals(arch.numParameters() - offset, last.dim());
      double[][] small = directions(2, last.dim(), 9);
      double[][] padded = new double[2][arch.numParameters()];
      for (int j = 0; j < 2; j++) {
        System.arraycopy(small[j], 0, padded[j], offset, last.dim());
      }
      double[][] hFull = full.apply(padded);
      double[][] hLast = last.apply(small);
      for (int j = 0; j < 2; j++) {
        double[] block = Arrays.copyOfRange(hFull[j], offset, arch.numParameters());
        assertArrayEquals(block, hLast[j], 1e-12 * norm(block));
      }
    }
  }

  @Test
  void subsetProductsEqualAProductOverTheSubsetAlone() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(4, new int[] {3}, 2, 0);
    Dataset data = dataset(20, 4, 2, 10);
    Checkpoint cp = checkpoint(arch, 11);
    int[] subset = {3, 17, 5, 9, 0};
    double[][] v = directions(2, arch.numParameters(), 12);
    try (HessianVectorProduct all = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), EXACT);
        HessianVectorProduct only = new HessianVectorProduct(cp, data, subset, EXACT)) {
      double[][] a = all.apply(v, subset);
      double[][] b = only.apply(v);
      for (int j = 0; j < v.length; j++) {
        assertArrayEquals(b[j], a[j], 1e-14 * norm(b[j]));
      }
    }
  }

  @Test
  void threadsGetBitIdenticalProductsAndNativeMemoryStaysFlat() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.mlp(20, new int[] {16, 8}, 4, 0);
    Dataset data = dataset(300, 20, 4, 13);
    Checkpoint cp = checkpoint(arch, 14);
    double[][] v = directions(5, arch.numParameters(), 15);
    long grown;
    try (HessianVectorProduct hvp = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), HessianVectorProduct.Options.defaults())) {
      double[][] reference = hvp.apply(v);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        // Warm-up: each new thread gets its own malloc arena and PyTorch buffers.
        runOnBoth(pool, 250, hvp, v, reference);
        System.gc();
        long before = residentBytes();
        int held = hvp.heldArrays();
        runOnBoth(pool, 500, hvp, v, reference);
        assertEquals(held, hvp.heldArrays(), "arrays left attached to the long-lived manager");
        System.gc();
        grown = residentBytes() - before;
      } finally {
        pool.shutdown();
      }
      // The double-backward route grew ≈2 MB per product (PLATFORM.md): 2 GB for these 1000.
      assertTrue(grown < 128L << 20, "resident memory grew by " + (grown >> 20) + " MiB");
    }
  }

  @Test
  void parallelBlocksGiveBitIdenticalProducts() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(10, new int[] {6}, 3, 0);
    Dataset data = dataset(90, 10, 3, 16);
    Checkpoint cp = checkpoint(arch, 17);
    double[][] v = directions(11, arch.numParameters(), 18);
    HessianVectorProduct.Options one = new HessianVectorProduct.Options(DataType.FLOAT32, 25, 3);
    try (HessianVectorProduct a = new HessianVectorProduct(cp, data,
        Inputs.range(0, data.size()), one);
        HessianVectorProduct b = new HessianVectorProduct(cp, data,
            Inputs.range(0, data.size()), one.withThreads(3))) {
      double[][] x = a.apply(v);
      double[][] y = b.apply(v);
      for (int j = 0; j < v.length; j++) {
        assertArrayEquals(x[j], y[j], 0.0);
      }
    }
  }

  private static void runOnBoth(ExecutorService pool, int times, HessianVectorProduct hvp,
      double[][] v, double[][] reference) throws Exception {
    Future<?>[] runs = new Future<?>[2];
    for (int t = 0; t < runs.length; t++) {
      runs[t] = pool.submit(() -> {
        for (int r = 0; r < times; r++) {
          double[][] again = hvp.apply(v);
          for (int j = 0; j < v.length; j++) {
            assertArrayEquals(reference[j], again[j], 0.0);
          }
        }
        return null;
      });
    }
    for (Future<?> f : runs) {
      f.get();
    }
  }

  /** The mean-loss gradient at θ + t v, by autograd on a float64 copy (the independent path). */
  public static double[] meanLossGradient(Checkpoint cp, Dataset data, double[] v, double t) {
    try (NDManager m = NDManager.newBaseManager(); Model base = cp.open(m)) {
      Model net = base.copy(DataType.FLOAT64);
      double[] theta = net.parametersAsDouble();
      for (int p = 0; p < theta.length; p++) {
        theta[p] += t * v[p];
      }
      net.setParameters(theta);
      int[] rows = Inputs.range(0, data.size());
      NDArray x = Inputs.features(data, rows, m).toType(DataType.FLOAT64, false);
      Backprop bp = Backprop.run(net, x, data.labels(rows), ModelOutputs.crossEntropy(),
          DropoutMasks.NONE, 1.0 / data.size());
      return PerExampleGradients.of(bp).sum(new int[] {0}).toDoubleArray();
    }
  }

  /** (1/n) Σ_i (diag(p_i) - p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ in the layout W (row-major) then b. */
  public static double[][] analyticLogisticHessian(Checkpoint cp, Dataset data) {
    ModelSpec arch = cp.spec();
    int in = arch.inputDim();
    int classes = arch.numClasses();
    double[] theta;
    try (NDManager m = NDManager.newBaseManager(); Model net = cp.open(m)) {
      theta = net.parametersAsDouble();
    }
    int d = theta.length;
    double[][] h = new double[d][d];
    for (int i = 0; i < data.size(); i++) {
      float[] x = data.features(i);
      double[] logits = new double[classes];
      for (int c = 0; c < classes; c++) {
        logits[c] = theta[classes * in + c];
        for (int j = 0; j < in; j++) {
          logits[c] += theta[c * in + j] * x[j];
        }
      }
      double max = Arrays.stream(logits).max().orElseThrow();
      double z = 0;
      double[] p = new double[classes];
      for (int c = 0; c < classes; c++) {
        p[c] = Math.exp(logits[c] - max);
        z += p[c];
      }
      for (int c = 0; c < classes; c++) {
        p[c] /= z;
      }
      for (int c = 0; c < classes; c++) {
        for (int c2 = 0; c2 < classes; c2++) {
          double a = ((c == c2) ? p[c] : 0) - p[c] * p[c2];
          for (int j = 0; j <= in; j++) {
            double xj = j == in ? 1 : x[j];
            int row = j == in ? classes * in + c : c * in + j;
            for (int j2 = 0; j2 <= in; j2++) {
              double xj2 = j2 == in ? 1 : x[j2];
              int col = j2 == in ? classes * in + c2 : c2 * in + j2;
              h[row][col] += a * xj * xj2 / data.size();
            }
          }
        }
      }
    }
    return h;
  }

  public static Dataset dataset(int n, int dim, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * dim];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      y[i] = rng.nextInt(classes);
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (float) rng.nextGaussian();
      }
    }
    return new Dataset("hvp-test", ids, x, y, dim, classes);
  }

  public static Checkpoint checkpoint(FeedForwardSpec arch, long seed) {
    try (NDManager m = NDManager.newBaseManager();
        Network net = Network.initialize(arch, m, seed)) {
      return Checkpoint.of("c" + seed, net);
    }
  }

  static double[][] directions(int count, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] v = new double[count][d];
    for (double[] row : v) {
      for (int p = 0; p < d; p++) {
        row[p] = rng.nextGaussian();
      }
    }
    return v;
  }

  static double[] multiply(double[][] a, double[] v) {
    double[] out = new double[a.length];
    for (int r = 0; r < a.length; r++) {
      double s = 0;
      for (int c = 0; c < v.length; c++) {
        s += a[r][c] * v[c];
      }
      out[r] = s;
    }
    return out;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static long residentBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
