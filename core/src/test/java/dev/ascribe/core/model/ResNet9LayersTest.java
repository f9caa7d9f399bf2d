package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ResNet-9's layers against their definitions, in float64: the convolution's unfolded patches
 * against the direct sum Σ_{c,i,j} W[o,c,i,j] x[c, s·y+i−p, s·x+j−p] and the engine's conv2d, and
 * batch normalization's training and inference passes against a hand computation.
 */
class ResNet9LayersTest {
  @Test
  void unfoldedPatchesGiveTheConvolutionByItsDefinition() {
    for (Conv2d conv : new Conv2d[] {new Conv2d(2, 3, 3, 1, 1), new Conv2d(2, 3, 3, 2, 1),
        new Conv2d(3, 2, 1, 2, 0)}) {
      try (NDManager m = NDManager.newBaseManager()) {
        int size = 6;
        double[] x = random(2 * conv.in() * size * size, 1);
        double[] w = random(conv.out() * conv.patchWidth(), 2);
        NDArray xa = m.create(x, new Shape(2, conv.in(), size, size));
        NDArray wa = m.create(w, new Shape(conv.out(), conv.patchWidth()));
        int o = conv.outSize(size);
        NDArray patches = conv.unfold(xa);
        assertEquals(new Shape(2, (long) o * o, conv.patchWidth()), patches.getShape());
        double[] fromPatches = Conv2d.toImage(Conv2d.positions(patches, wa), o, o)
            .toDoubleArray();
        double[] engine = conv.apply(xa, wa).toDoubleArray();
        int k = conv.kernel();
        for (int b = 0; b < 2; b++) {
          for (int out = 0; out < conv.out(); out++) {
            for (int py = 0; py < o; py++) {
              for (int px = 0; px < o; px++) {
                double sum = 0;
                for (int c = 0; c < conv.in(); c++) {
                  for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                      int yy = conv.stride() * py + i - conv.padding();
                      int xx = conv.stride() * px + j - conv.padding();
                      if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                        sum += w[out * conv.patchWidth() + (c * k + i) * k + j]
                            * x[((b * conv.in() + c) * size + yy) * size + xx];
                      }
                    }
                  }
                }
                int at = ((b * conv.out() + out) * o + py) * o + px;
                assertEquals(sum, fromPatches[at], 1e-12, conv + " at " + at);
                assertEquals(sum, engine[at], 1e-12, conv + " engine at " + at);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void theTapGradientOfAConvolutionMatchesFiniteDifferences() {
    // f(W) = Σ R ⊙ conv(x, W) for a fixed random R; by the taps, ∇W f = Σ_{b,t} R_{b,t} a_{b,t}ᵀ.
    Conv2d conv = new Conv2d(2, 3, 3, 2, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      int size = 5;
      int o = conv.outSize(size);
      NDArray x = m.create(random(2 * conv.in() * size * size, 4), new Shape(2, conv.in(), size,
          size));
      double[] w = random(conv.out() * conv.patchWidth(), 5);
      NDArray r = m.create(random(2 * o * o * conv.out(), 6), new Shape(2, (long) o * o,
          conv.out()));
      double[] fromTaps = r.reshape(-1, conv.out()).transpose()
          .matMul(conv.unfold(x).reshape(-1, conv.patchWidth())).toDoubleArray();
      double eps = 1e-6;
      for (int j = 0; j < w.length; j += 5) {
        double[] plus = w.clone();
        double[] minus = w.clone();
        plus[j] += eps;
        minus[j] -= eps;
        double fd = (objective(conv, x, plus, r, o) - objective(conv, x, minus, r, o)) / (2 * eps);
        assertEquals(fd, fromTaps[j], 1e-8, "weight entry " + j);
      }
    }
  }

  private static double objective(Conv2d conv, NDArray x, double[] w, NDArray r, int o) {
    NDManager m = x.getManager();
    NDArray out = conv.apply(x, m.create(w, new Shape(conv.out(), conv.patchWidth())));
    return Conv2d.toImage(r, o, o).mul(out).sum().getDouble();
  }

  @Test
  void batchNormTrainingUsesBatchStatisticsAndMovesTheRunningOnes() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Two examples, two channels, 1 x 2 positions: channel 0 holds 1, 2, 3, 6; channel 1 holds
      // 0, 0, 4, 4.
      NDArray x = m.create(new double[] {1, 2, 0, 0, 3, 6, 4, 4}, new Shape(2, 2, 1, 2));
      NDArray gamma = m.create(new double[] {2, 1});
      NDArray beta = m.create(new double[] {0.5, -1});
      NDArray mean = m.create(new double[] {0, 1});
      NDArray var = m.create(new double[] {1, 4});
      double[] y = BatchNorm.apply(x, gamma, beta, mean, var, true).toDoubleArray();
      // Channel 0: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5, unbiased 14 / 3.
      double s0 = Math.sqrt(3.5 + BatchNorm.EPSILON);
      // Channel 1: mean 2, biased variance 4, unbiased 16 / 3.
      double s1 = Math.sqrt(4 + BatchNorm.EPSILON);
      double[] expected = {2 * (1 - 3) / s0 + 0.5, 2 * (2 - 3) / s0 + 0.5, (0 - 2) / s1 - 1,
          (0 - 2) / s1 - 1, 2 * (3 - 3) / s0 + 0.5, 2 * (6 - 3) / s0 + 0.5, (4 - 2) / s1 - 1,
          (4 - 2) / s1 - 1};
      assertArrayEquals(expected, y, 1e-12);
      assertArrayEquals(new double[] {0.9 * 0 + 0.1 * 3, 0.9 * 1 + 0.1 * 2},
          mean.toDoubleArray(), 1e-12);
      assertArrayEquals(new double[] {0.9 * 1 + 0.1 * 14 / 3.0, 0.9 * 4 + 0.1 * 16 / 3.0},
          var.toDoubleArray(), 1e-12);
    }
  }

  @Test
  void batchNormInferenceIsTheAffineMapOfTheRunningStatistics() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[] {1, 2, 0, 0, 3, 6, 4, 4}, new Shape(2, 2, 1, 2));
      NDArray gamma = m.create(new double[] {2, 1});
      NDArray beta = m.create(new double[] {0.5, -1});
      NDArray mean = m.create(new double[] {0, 1});
      NDArray var = m.create(new double[] {1, 4});
      double[] y = BatchNorm.apply(x, gamma, beta, mean, var, false).toDoubleArray();
      double s0 = Math.sqrt(1 + BatchNorm.EPSILON);
      double s1 = Math.sqrt(4 + BatchNorm.EPSILON);
      double[] expected = {2 * 1 / s0 + 0.5, 2 * 2 / s0 + 0.5, (0 - 1) / s1 - 1, (0 - 1) / s1 - 1,
          2 * 3 / s0 + 0.5, 2 * 6 / s0 + 0.5, (4 - 1) / s1 - 1, (4 - 1) / s1 - 1};
      assertArrayEquals(expected, y, 1e-12);
      // Inference leaves the running statistics alone.
      assertArrayEquals(new double[] {0, 1}, mean.toDoubleArray());
      assertArrayEquals(new double[] {1, 4}, var.toDoubleArray());
      // A per-example (B, C) γ (a parameter plus its probe) scales each example by its own copy.
      NDArray perExample = m.create(new double[] {2, 1, 4, 1}, new Shape(2, 2));
      double[] z = BatchNorm.apply(x, perExample, beta, mean, var, false).toDoubleArray();
      assertEquals(expected[0], z[0], 1e-12);
      assertEquals(4 * 3 / s0 + 0.5, z[4], 1e-12);
    }
  }

  static double[] random(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextDouble() * 2 - 1;
    }
    return v;
  }

  static NDArray image(NDManager m, int batch, long seed, DataType type) {
    return m.create(random(batch * 3072, seed), new Shape(batch, 3072)).toType(type, false);
  }
}
