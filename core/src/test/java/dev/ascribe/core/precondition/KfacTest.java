package dev.ascribe.core.precondition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.HessianVectorProductTest;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.score.ScoreMatrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * K-FAC and EK-FAC against their definitions on tiny networks: the factors as the means they are
 * defined as, the preconditioner as (S ⊗ A + λI)⁻¹ and Q diag(Λ + λ)⁻¹ Qᵀ built explicitly (LU
 * inverse, Commons Math), Λ from per-example gradients of the backward loop, partition fits merged
 * in key order equal to one fit, and the sampled labels' distribution.
 */
class KfacTest {
  static final FeedForwardSpec LR = FeedForwardSpec.logisticRegression(4, 3);
  static final FeedForwardSpec MLP = FeedForwardSpec.mlp(4, new int[] {3}, 3, 0);
  static final Dataset TRAIN = HessianVectorProductTest.dataset(40, 4, 3, 51);
  static final Dataset QUERIES = HessianVectorProductTest.dataset(5, 4, 3, 52);
  static final KfacOptions TRUE_LABELS = new KfacOptions(KfacOptions.Variant.EKFAC,
      KfacOptions.FisherLabels.TRUE, 0);

  private static KroneckerFactors factors(Checkpoint cp, KfacOptions o, int[] rows, int batch) {
    return KfacPasses.run(new KroneckerFactorFit(cp.spec().tappedLayers()), cp, 0, TRAIN, rows,
        o, batch).finish();
  }

  @Test
  void logisticFactorsAreTheMeansOfTheirDefinitions() {
    Checkpoint cp = HessianVectorProductTest.checkpoint(LR, 7);
    KroneckerFactors.Layer f = factors(cp, TRUE_LABELS, Inputs.range(0, 40), 7).layers().get(0);
    double[] theta = parameters(cp);
    int n = TRAIN.size();
    double[] a = new double[25];
    double[] s = new double[9];
    for (int i = 0; i < n; i++) {
      float[] x = TRAIN.features(i);
      double[] aug = {x[0], x[1], x[2], x[3], 1};
      double[] delta = softmax(theta, aug);
      delta[TRAIN.label(i)] -= 1; // ∂ℓ/∂z = p - onehot(y)
      for (int p = 0; p < 5; p++) {
        for (int q = 0; q < 5; q++) {
          a[p * 5 + q] += aug[p] * aug[q] / n;
        }
      }
      for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 3; q++) {
          s[p * 3 + q] += delta[p] * delta[q] / n;
        }
      }
    }
    assertArrayEquals(a, f.inputFactor(), 1e-6);
    assertArrayEquals(s, f.outputFactor(), 1e-6);
  }

  /** LR logits W ã (W 3 x 4 then bias 3 in the flat vector), as probabilities. */
  private static double[] softmax(double[] theta, double[] aug) {
    double[] z = new double[3];
    double max = Double.NEGATIVE_INFINITY;
    for (int o = 0; o < 3; o++) {
      for (int j = 0; j < 4; j++) {
        z[o] += theta[o * 4 + j] * aug[j];
      }
      z[o] += theta[12 + o];
      max = Math.max(max, z[o]);
    }
    double total = 0;
    for (int o = 0; o < 3; o++) {
      z[o] = Math.exp(z[o] - max);
      total += z[o];
    }
    for (int o = 0; o < 3; o++) {
      z[o] /= total;
    }
    return z;
  }

  private static double[] parameters(Checkpoint cp) {
    try (NDManager m = NDManager.newBaseManager(); Model net = cp.open(m)) {
      return net.parametersAsDouble();
    }
  }

  @Test
  void kfacIsTheInverseOfTheKroneckerProductsBuiltExplicitly() {
    Checkpoint cp = HessianVectorProductTest.checkpoint(MLP, 8);
    KfacOptions o = new KfacOptions(KfacOptions.Variant.KFAC, KfacOptions.FisherLabels.SAMPLED,
        3);
    KroneckerFactors factors = factors(cp, o, Inputs.range(0, 40), 16);
    double lambda = 0.05;
    int d = MLP.numParameters();
    double[][] curvature = new double[d][d];
    for (KroneckerFactors.Layer f : factors.layers()) {
      place(curvature, f.layer(), kron(f.outputFactor(), f.layer().out(), f.inputFactor(),
          f.inputWidth()));
    }
    KfacPreconditioner p = KfacPreconditioner.of(factors, null, LambdaSpec.absolute(lambda), d,
        null);
    assertApplies(inverse(curvature, lambda), p);
  }

  @Test
  void ekfacIsTheEigenbasisInverseWithEigenvaluesFromPerExampleGradients() {
    Checkpoint cp = HessianVectorProductTest.checkpoint(MLP, 9);
    KroneckerFactors factors = factors(cp, TRUE_LABELS, Inputs.range(0, 40), 16);
    List<double[]> corrections = KfacPasses.run(new EigenCorrectionFit(factors), cp, 0, TRAIN,
        Inputs.range(0, 40), TRUE_LABELS, 11).finish();
    double[][] g = dev.ascribe.core.method.GradDotAttributorTest.loopGradients(cp, TRAIN,
        dev.ascribe.core.task.ModelOutputs.crossEntropy());
    int d = MLP.numParameters();
    double[][] curvature = new double[d][d];
    double lambda = 0.02;
    for (int l = 0; l < factors.layers().size(); l++) {
      KroneckerFactors.Layer f = factors.layers().get(l);
      int out = f.layer().out();
      int in = f.inputWidth();
      double[] q = kron(f.outputBasis().vectors(), out, f.inputBasis().vectors(), in);
      int k = out * in;
      double[][] blocks = new double[g.length][];
      for (int i = 0; i < g.length; i++) {
        blocks[i] = block(g[i], f.layer());
      }
      double[] lambdaExplicit = meanSquaredRotation(q, k, blocks);
      assertArrayEquals(lambdaExplicit, corrections.get(l), 1e-6 * max(lambdaExplicit));
      double[] m = new double[k * k];
      for (int r = 0; r < k; r++) {
        for (int s = 0; s < k; s++) {
          double v = 0;
          for (int c = 0; c < k; c++) {
            v += q[r * k + c] * lambdaExplicit[c] * q[s * k + c];
          }
          m[r * k + s] = v;
        }
      }
      place(curvature, f.layer(), m);
    }
    KfacPreconditioner p = KfacPreconditioner.of(factors, corrections,
        LambdaSpec.absolute(lambda), d, null);
    assertApplies(inverse(curvature, lambda), p);
  }

  @Test
  void partitionFitsMergedInKeyOrderEqualOneFitAndRerunsAreIdentical() {
    Checkpoint cp = HessianVectorProductTest.checkpoint(MLP, 10);
    KfacOptions o = new KfacOptions(KfacOptions.Variant.EKFAC, KfacOptions.FisherLabels.SAMPLED,
        5);
    KroneckerFactors whole = factors(cp, o, Inputs.range(0, 40), 40);
    List<PartitionFit.Keyed<KroneckerFactorFit>> parts = new ArrayList<>();
    int[][] ranges = {{25, 40}, {0, 9}, {9, 25}};
    for (int[] r : ranges) {
      parts.add(new PartitionFit.Keyed<>(r[0], 0, KfacPasses.run(new KroneckerFactorFit(
          MLP.tappedLayers()), cp, 0, TRAIN, Inputs.range(r[0], r[1]), o, 4)));
    }
    KroneckerFactors merged = PartitionFit.mergeInKeyOrder(parts).finish();
    for (int l = 0; l < whole.layers().size(); l++) {
      assertArrayEquals(whole.layers().get(l).inputFactor(), merged.layers().get(l)
          .inputFactor(), 1e-12 * max(whole.layers().get(l).inputFactor()));
      assertArrayEquals(whole.layers().get(l).outputFactor(), merged.layers().get(l)
          .outputFactor(), 1e-12 * max(whole.layers().get(l).outputFactor()));
    }
    KroneckerFactors again = factors(cp, o, Inputs.range(0, 40), 40);
    assertArrayEquals(whole.layers().get(1).outputFactor(), again.layers().get(1)
        .outputFactor(), 0.0);
  }

  @Test
  void sampledLabelsFollowTheModelsDistribution() {
    Checkpoint cp = HessianVectorProductTest.checkpoint(LR, 11);
    int n = 6000;
    float[] x = new float[n * 4];
    for (int i = 0; i < n; i++) {
      float[] row = TRAIN.features(0);
      System.arraycopy(row, 0, x, i * 4, 4);
    }
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + 7L * i;
    }
    int[] counts = new int[3];
    int[] first;
    try (NDManager m = NDManager.newBaseManager(); Model net = cp.open(m)) {
      var batch = m.create(x, new ai.djl.ndarray.types.Shape(n, 4));
      first = KfacPasses.sampledLabels(net, batch, ids, 4, 0);
      assertArrayEquals(first, KfacPasses.sampledLabels(net, batch, ids, 4, 0));
    }
    for (int label : first) {
      counts[label]++;
    }
    float[] row = TRAIN.features(0);
    double[] p = softmax(parameters(cp), new double[] {row[0], row[1], row[2], row[3], 1});
    for (int c = 0; c < 3; c++) {
      double sd = Math.sqrt(n * p[c] * (1 - p[c]));
      assertEquals(n * p[c], counts[c], 4 * sd, "class " + c);
    }
  }

  @Test
  void inMemoryScoresAreTheClosedFormAndSelfInfluenceTheDiagonal() throws IOException {
    Checkpoint cp = HessianVectorProductTest.checkpoint(MLP, 12);
    MethodSpec spec = new MethodSpec("if-ekfac", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        "0.3x", 16, Map.of("labels", "true"));
    InnerProductAttributor.Fitted fitted = spec.create(List.of(cp), 1).cache(TRAIN);
    KfacPreconditioner p = (KfacPreconditioner) fitted.preconditioners().get(0);
    ScoreMatrix scores = fitted.attribute(QUERIES);
    double[][] g = dev.ascribe.core.method.GradDotAttributorTest.loopGradients(cp, TRAIN,
        dev.ascribe.core.task.ModelOutputs.crossEntropy());
    double[][] q = dev.ascribe.core.method.GradDotAttributorTest.loopGradients(cp, QUERIES,
        dev.ascribe.core.task.ModelOutputs.margin());
    int d = MLP.numParameters();
    float[] flat = new float[q.length * d];
    for (int j = 0; j < q.length; j++) {
      for (int t = 0; t < d; t++) {
        flat[j * d + t] = (float) -q[j][t]; // the query side is -∇f
      }
    }
    float[] solved = p.apply(flat, q.length);
    double scale = 0;
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < q.length; j++) {
        double expected = 0;
        for (int t = 0; t < d; t++) {
          expected += g[i][t] * solved[j * d + t];
        }
        scale = Math.max(scale, Math.abs(expected));
        assertEquals(expected, scores.get(i, j), 1e-4 * Math.abs(expected) + 1e-6,
            "score " + i + ", " + j);
      }
    }
    assertTrue(scale > 0);
    float[] self = fitted.selfInfluence();
    ScoreMatrix full = fitted.attribute(TRAIN);
    for (int i = 0; i < TRAIN.size(); i++) {
      assertTrue(self[i] >= 0, "self-influence " + self[i]);
    }
    // λ = 0.3 x the mean eigenvalue, and the stored form gives the same preconditioner.
    assertEquals("0.3x", p.describe().get("lambda_option"));
    assertEquals(0.3 * (double) p.describe().get("mean_nonzero_eigenvalue"), p.lambda(), 1e-15);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    p.save(bytes);
    KfacPreconditioner loaded = KfacPreconditioner.load(
        new ByteArrayInputStream(bytes.toByteArray()), d);
    assertArrayEquals(solved, loaded.apply(flat, q.length));
    // The stored form leaves out only the fit's timing.
    Map<String, Object> described = new java.util.LinkedHashMap<>(p.describe());
    assertTrue(described.remove("fit_seconds") instanceof Map<?, ?> steps
        && steps.keySet().equals(java.util.Set.of("factors", "eigendecomposition",
            "eigenvalue_correction")), described.toString());
    assertEquals(described, loaded.describe());
    assertThrows(IOException.class, () -> KfacPreconditioner.load(
        new ByteArrayInputStream(bytes.toByteArray()), d + 1));
    assertTrue(full.get(0, 0) != 0);
  }

  @Test
  void positionsAverageInputsSumOutputGradientsAndCorrectPerExampleSums() {
    // A layer applied at T positions (a sequence or a convolution), taps made up: A averages over
    // examples and positions, S sums over positions and averages over examples (kronfluence), and
    // Λ squares each example's rotated gradient Σ_t δ_t ã_tᵀ, not the per-position terms.
    int b = 3;
    int t = 4;
    TappedLayer layer = LR.tappedLayers().get(0);
    SplittableRandom rng = new SplittableRandom(21);
    float[] a = new float[b * t * 4];
    float[] delta = new float[b * t * 3];
    for (int j = 0; j < a.length; j++) {
      a[j] = (float) rng.nextGaussian();
    }
    for (int j = 0; j < delta.length; j++) {
      delta[j] = (float) rng.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      var pass = new dev.ascribe.core.grad.Backprop(null, null, List.of(
          new dev.ascribe.core.grad.LayerGradient(m.create(a, new ai.djl.ndarray.types.Shape(b,
              t, 4)), m.create(delta, new ai.djl.ndarray.types.Shape(b, t, 3)))), null);
      KroneckerFactors factors = new KroneckerFactorFit(List.of(layer)).accumulate(pass)
          .finish();
      KroneckerFactors.Layer f = factors.layers().get(0);
      double[] expectedA = new double[25];
      double[] expectedS = new double[9];
      double[][] perExample = new double[b][15];
      for (int i = 0; i < b; i++) {
        for (int p = 0; p < t; p++) {
          double[] aug = new double[5];
          for (int j = 0; j < 4; j++) {
            aug[j] = a[(i * t + p) * 4 + j];
          }
          aug[4] = 1;
          for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
              expectedA[r * 5 + c] += aug[r] * aug[c] / (b * t);
            }
          }
          for (int r = 0; r < 3; r++) {
            double dr = delta[(i * t + p) * 3 + r];
            for (int c = 0; c < 3; c++) {
              expectedS[r * 3 + c] += dr * delta[(i * t + p) * 3 + c] / b;
            }
            for (int c = 0; c < 5; c++) {
              perExample[i][r * 5 + c] += dr * aug[c];
            }
          }
        }
      }
      assertArrayEquals(expectedA, f.inputFactor(), 1e-9);
      assertArrayEquals(expectedS, f.outputFactor(), 1e-9);
      double[] q = kron(f.outputBasis().vectors(), 3, f.inputBasis().vectors(), 5);
      double[] expectedLambda = meanSquaredRotation(q, 15, perExample);
      assertArrayEquals(expectedLambda, new EigenCorrectionFit(factors).accumulate(pass)
          .finish().get(0), 1e-9 * max(expectedLambda));
    }
  }

  @Test
  void badOptionsNameTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new MethodSpec("if-kfac",
        "margin", 0, ProjectionKind.GAUSSIAN, 0, "default", 16, Map.of("labels", "model")))
        .getMessage().contains("option if-kfac.labels given model: expected sampled or true"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new MethodSpec("if-ekfac",
        "margin", 0, ProjectionKind.GAUSSIAN, 0, "default", 16, Map.of("damping", "1")))
        .getMessage().contains("unknown option if-ekfac.damping"));
  }

  // --- explicit matrices -------------------------------------------------------------------

  /** The layer's gradient block G (out x (in + 1), bias last) of a flat gradient, row-major. */
  private static double[] block(double[] flat, TappedLayer t) {
    int in = t.in() + 1;
    double[] g = new double[t.out() * in];
    for (int o = 0; o < t.out(); o++) {
      for (int j = 0; j < t.in(); j++) {
        g[o * in + j] = flat[t.weightOffset() + o * t.in() + j];
      }
      g[o * in + t.in()] = flat[t.biasOffset() + o];
    }
    return g;
  }

  /** Flat index of G[o][j]. */
  private static int flatIndex(TappedLayer t, int o, int j) {
    return j < t.in() ? t.weightOffset() + o * t.in() + j : t.biasOffset() + o;
  }

  /** Puts a block matrix over the layer's G coordinates into the flat d x d matrix. */
  private static void place(double[][] full, TappedLayer t, double[] m) {
    int in = t.in() + 1;
    int k = t.out() * in;
    for (int r = 0; r < k; r++) {
      for (int s = 0; s < k; s++) {
        full[flatIndex(t, r / in, r % in)][flatIndex(t, s / in, s % in)] = m[r * k + s];
      }
    }
  }

  /** EK-FAC's Λ by its definition: the mean over blocks G_i of (Qᵀ vec(G_i))², Q k x k. */
  private static double[] meanSquaredRotation(double[] q, int k, double[][] blocks) {
    double[] mean = new double[k];
    for (double[] g : blocks) {
      for (int c = 0; c < k; c++) {
        double rotated = 0;
        for (int r = 0; r < k; r++) {
          rotated += q[r * k + c] * g[r];
        }
        mean[c] += rotated * rotated / blocks.length;
      }
    }
    return mean;
  }

  /** X ⊗ Y for row-major square X (p x p) and Y (q x q). */
  private static double[] kron(double[] x, int p, double[] y, int q) {
    int k = p * q;
    double[] out = new double[k * k];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        for (int c = 0; c < q; c++) {
          for (int e = 0; e < q; e++) {
            out[(a * q + c) * k + b * q + e] = x[a * p + b] * y[c * q + e];
          }
        }
      }
    }
    return out;
  }

  private static double[][] inverse(double[][] m, double lambda) {
    RealMatrix r = new Array2DRowRealMatrix(m);
    for (int i = 0; i < m.length; i++) {
      r.addToEntry(i, i, lambda);
    }
    return new LUDecomposition(r).getSolver().getInverse().getData();
  }

  /** The preconditioner applied to random queries equals the explicit inverse times them. */
  private static void assertApplies(double[][] inverse, KfacPreconditioner p) {
    int d = inverse.length;
    int m = 3;
    SplittableRandom rng = new SplittableRandom(1);
    float[] queries = new float[m * d];
    for (int j = 0; j < queries.length; j++) {
      queries[j] = (float) rng.nextGaussian();
    }
    float[] got = p.apply(queries, m);
    // Solved in chunks (as a large self-influence block is), each query gets the same answer.
    float[] chunked = p.apply(queries, m, 2);
    for (int j = 0; j < got.length; j++) {
      assertEquals(got[j], chunked[j], 1e-6 * Math.abs(got[j]) + 1e-9);
    }
    for (int q = 0; q < m; q++) {
      double[] expected = new double[d];
      for (int r = 0; r < d; r++) {
        for (int s = 0; s < d; s++) {
          expected[r] += inverse[r][s] * queries[q * d + s];
        }
      }
      double scale = max(expected);
      for (int r = 0; r < d; r++) {
        assertEquals(expected[r], got[q * d + r], 1e-5 * scale, "query " + q + " entry " + r);
      }
    }
  }

  private static double max(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

}
