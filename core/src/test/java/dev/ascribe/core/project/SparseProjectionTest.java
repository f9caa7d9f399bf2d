package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sparse JL projection against its written definition, an explicit matrix and statistics. */
class SparseProjectionTest {
  private static Projection sjlt(int k, int s, long seed, int d) {
    return Projection.of(ProjectionOptions.builder().setDim(k).optKind(ProjectionKind.SJLT)
        .optSparsity(s).optSeed(seed).build(), d);
  }

  /** The definition in SparseProjection's Javadoc, written out again independently. */
  private static double[][] explicitMatrix(int k, int s, long seed, int d) {
    double[][] p = new double[k][d];
    for (int t = 0; t < s; t++) {
      int lo = (int) ((long) t * k / s);
      int hi = (int) ((long) (t + 1) * k / s);
      long key = CounterRandom.key(seed, t);
      for (int j = 0; j < d; j++) {
        long h = CounterRandom.bits(key, j);
        int bucket = lo + (int) (Long.divideUnsigned((h >>> 32) * (hi - lo), 1L << 32));
        p[bucket][j] += ((h & 1) == 0 ? 1 : -1) / Math.sqrt(s);
      }
    }
    return p;
  }

  @Test
  void entriesFollowTheDefinition() {
    for (int s : new int[] {1, 3}) {
      int k = 40;
      int d = 257;
      Projection p = sjlt(k, s, 11, d);
      double[][] explicit = explicitMatrix(k, s, 11, d);
      for (int j = 0; j < d; j++) {
        int nonzeros = 0;
        double squares = 0;
        for (int r = 0; r < k; r++) {
          assertEquals(explicit[r][j], p.entry(r, j), 0.0, "entry (" + r + ", " + j + ")");
          nonzeros += p.entry(r, j) != 0 ? 1 : 0;
          squares += p.entry(r, j) * p.entry(r, j);
        }
        assertEquals(s, nonzeros, "column " + j + " has one bucket per group");
        assertEquals(1.0, squares, 1e-12, "column " + j + " has unit norm");
      }
    }
  }

  @Test
  void projectorAppliesTheExplicitMatrix() {
    int k = 32;
    int d = 500;
    int rows = 7;
    for (int s : new int[] {1, 4}) {
      double[][] explicit = explicitMatrix(k, s, 5, d);
      SplittableRandom rng = new SplittableRandom(s);
      double[] g = new double[rows * d];
      for (int i = 0; i < g.length; i++) {
        g[i] = rng.nextDouble() < 0.3 ? 0 : rng.nextGaussian();
      }
      try (NDManager m = NDManager.newBaseManager();
          Projector projector = sjlt(k, s, 5, d).open(m)) {
        double[] y = projector.project(m.create(g, new Shape(rows, d))).toDoubleArray();
        for (int b = 0; b < rows; b++) {
          for (int r = 0; r < k; r++) {
            double expected = 0;
            for (int j = 0; j < d; j++) {
              expected += explicit[r][j] * g[b * d + j];
            }
            assertEquals(expected, y[b * k + r], 1e-12 * (1 + Math.abs(expected)));
          }
        }
      }
    }
  }

  /**
   * E ||P g||² = ||g||², and for s = 1 Var ||P g||² = (2/k)(||g||⁴ - Σ g_j⁴) (the variance of a
   * sum of products of independent signs within a bucket): both checked over 4,000 seeds, with
   * bounds of a few standard errors. A projection that lost or doubled mass, or whose buckets were
   * not uniform, fails.
   */
  @Test
  void normsArePreservedInExpectation() {
    int k = 64;
    int d = 300;
    int seeds = 4000;
    SplittableRandom rng = new SplittableRandom(3);
    double[] g = new double[d];
    double norm2 = 0;
    double fourth = 0;
    for (int j = 0; j < d; j++) {
      g[j] = rng.nextGaussian() * (1 + j % 5);
      norm2 += g[j] * g[j];
      fourth += g[j] * g[j] * g[j] * g[j];
    }
    double sum = 0;
    double sumSquares = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(g, new Shape(1, d));
      for (int seed = 0; seed < seeds; seed++) {
        try (Projector projector = sjlt(k, 1, seed, d).open(m)) {
          double[] y = projector.project(x).toDoubleArray();
          double ratio = 0;
          for (double v : y) {
            ratio += v * v;
          }
          ratio /= norm2;
          sum += ratio;
          sumSquares += ratio * ratio;
        }
      }
    }
    double mean = sum / seeds;
    double variance = sumSquares / seeds - mean * mean;
    double expectedVariance = 2.0 / k * (1 - fourth / (norm2 * norm2));
    double standardError = Math.sqrt(expectedVariance / seeds);
    assertEquals(1.0, mean, 4 * standardError, "mean of ||Pg||²/||g||²");
    assertEquals(expectedVariance, variance, 0.15 * expectedVariance, "variance");
  }

  @Test
  void batchesOfAnySizeGiveTheSameBits() {
    int k = 16;
    int d = 1000;
    int rows = 10;
    float[] g = new float[rows * d];
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rng.nextGaussian();
    }
    Projection p = sjlt(k, 2, 1, d);
    try (NDManager m = NDManager.newBaseManager(); Projector whole = p.open(m)) {
      float[] all = whole.project(m.create(g, new Shape(rows, d))).toFloatArray();
      for (int split : new int[] {1, 3, 7}) {
        try (Projector part = p.open(m)) {
          float[] first = part.project(m.create(java.util.Arrays.copyOfRange(g, 0, split * d),
              new Shape(split, d))).toFloatArray();
          float[] rest = part.project(m.create(java.util.Arrays.copyOfRange(g, split * d,
              rows * d), new Shape(rows - split, d))).toFloatArray();
          float[] joined = new float[rows * k];
          System.arraycopy(first, 0, joined, 0, first.length);
          System.arraycopy(rest, 0, joined, first.length, rest.length);
          assertArrayEquals(all, joined, "split after " + split + " rows");
        }
      }
    }
  }

  @Test
  void theTableAndTheHashGiveTheSameBits() {
    int d = 700;
    float[] g = new float[2 * d];
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rng.nextGaussian();
    }
    ProjectionOptions.Builder options = ProjectionOptions.builder().setDim(24)
        .optKind(ProjectionKind.SJLT).optSparsity(3).optSeed(4);
    Projection cached = Projection.of(options.build(), d);
    Projection hashed = Projection.of(options.optCacheBytes(0).build(), d);
    try (NDManager m = NDManager.newBaseManager(); Projector a = cached.open(m);
        Projector b = hashed.open(m)) {
      NDArray x = m.create(g, new Shape(2, d));
      float[] fromTable = a.project(x).toFloatArray();
      assertTrue(a.cachedBytes() > 0);
      assertArrayEquals(fromTable, b.project(x).toFloatArray());
      assertEquals(0, b.cachedBytes());
    }
  }

  @Test
  void badOptionsAreRejectedByName() {
    IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
        () -> ProjectionOptions.builder().setDim(8).optKind(ProjectionKind.GAUSSIAN).optSparsity(2)
            .build());
    assertTrue(dense.getMessage().contains("sparsity") && dense.getMessage().contains("gaussian"),
        dense.getMessage());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> ProjectionOptions.builder().setDim(8).optKind(ProjectionKind.SJLT).optSparsity(9)
            .build());
    assertTrue(tooMany.getMessage().contains("between 1 and dim (8)"), tooMany.getMessage());
    assertEquals(ProjectionKind.SJLT, ProjectionKind.fromName("SJLT"));
    assertThrows(IllegalArgumentException.class, () -> sjlt(8, 1, 0, 0));
  }

  @Test
  void describeRegeneratesTheMatrix() {
    Projection p = sjlt(8, 2, 42, 30);
    assertEquals("SJLT", p.describe().get("kind"));
    assertEquals(2, p.describe().get("sparsity"));
    assertEquals(42L, p.describe().get("seed"));
    assertEquals(SparseProjection.FORMAT_VERSION, p.describe().get("formatVersion"));
  }
}
