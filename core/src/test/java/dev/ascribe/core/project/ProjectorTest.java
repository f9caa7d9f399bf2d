package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Projection sessions on libtorch: batching, caching, data types, validation, native memory. */
class ProjectorTest {
  private static final int D = 1500;
  private static final int K = 256;
  private static final int B = 64;
  private static NDManager manager;
  private static double[] data; // B x D, row-major

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    Random random = new Random(12);
    data = new double[B * D];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextGaussian();
    }
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** Three blocks (512, 512, 476 columns), so block sums and the short last block are exercised. */
  private static DenseProjection projection(long cacheBytes) {
    return (DenseProjection) Projection.of(
        ProjectionOptions.builder()
            .setDim(K)
            .optKind(ProjectionKind.GAUSSIAN)
            .optSeed(21)
            .optBlockSize(512)
            .optCacheBytes(cacheBytes)
            .build(),
        D);
  }

  private static NDArray input(NDManager m, DataType type) {
    return m.create(data, new Shape(B, D)).toType(type, false);
  }

  /** Projects rows [0, B) in consecutive batches of {@code batch} rows and concatenates. */
  private static double[] projectInBatches(Projector p, NDArray x, int batch) {
    double[] out = new double[B * K];
    for (int from = 0; from < B; from += batch) {
      int to = Math.min(B, from + batch);
      try (NDManager scope = manager.newSubManager()) {
        NDArray rows = x.get(new NDIndex("{}:{}, :", from, to));
        rows.attach(scope);
        NDArray y = p.project(rows);
        assertEquals(new Shape(to - from, K), y.getShape());
        System.arraycopy(
            y.toType(DataType.FLOAT64, false).toDoubleArray(), 0, out, from * K, (to - from) * K);
      }
    }
    return out;
  }

  @Test
  void batchSplitsGiveBitIdenticalRows() {
    for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
      try (NDManager m = manager.newSubManager();
          Projector p = projection(ProjectionOptions.DEFAULT_CACHE_BYTES).open(m)) {
        NDArray x = input(m, type);
        double[] whole = projectInBatches(p, x, B);
        for (int batch : new int[] {1, 2, 3, 5, 7, 20, 33, 63}) {
          assertArrayEquals(whole, projectInBatches(p, x, batch), type + " in batches of " + batch);
        }
      }
    }
  }

  @Test
  void cachedAndRegeneratedBlocksGiveBitIdenticalResults() {
    try (NDManager m = manager.newSubManager();
        Projector cached = projection(ProjectionOptions.DEFAULT_CACHE_BYTES).open(m);
        Projector uncached = projection(1).open(m);
        Projector partly = projection(2L * K * 512 * 4).open(m)) { // room for two float32 blocks
      NDArray x = input(m, DataType.FLOAT32);
      float[] first = cached.project(x).toFloatArray();
      assertEquals(3L * K * 512 * 4 - (512 - 476) * K * 4, cached.cachedBytes());
      assertArrayEquals(first, cached.project(x).toFloatArray(), "second call uses the cache");
      assertArrayEquals(first, uncached.project(x).toFloatArray());
      assertEquals(0, uncached.cachedBytes());
      assertArrayEquals(first, partly.project(x).toFloatArray());
      assertEquals(2L * K * 512 * 4, partly.cachedBytes());
    }
  }

  @Test
  void resultMatchesTheMatrixInDoublePrecision() {
    DenseProjection proj = projection(0);
    double[] expected = new double[B * K]; // G P^T summed in double from blockAsDouble
    for (int b = 0; b < proj.numBlocks(); b++) {
      double[] pb = proj.blockAsDouble(b);
      int w = proj.blockWidth(b);
      int start = proj.blockStart(b);
      for (int i = 0; i < B; i++) {
        for (int r = 0; r < K; r++) {
          double s = 0;
          for (int jj = 0; jj < w; jj++) {
            s += data[i * D + start + jj] * pb[r * w + jj];
          }
          expected[i * K + r] += s;
        }
      }
    }
    try (NDManager m = manager.newSubManager();
        Projector p = proj.open(m)) {
      NDArray y64 = p.project(input(m, DataType.FLOAT64));
      assertEquals(DataType.FLOAT64, y64.getDataType());
      NDArray y32 = p.project(input(m, DataType.FLOAT32));
      assertEquals(DataType.FLOAT32, y32.getDataType());
      double[] got64 = y64.toDoubleArray();
      float[] got32 = y32.toFloatArray();
      // Entries of P g are O(||g|| / sqrt(k)) ~ sqrt(D/K); compare errors on that scale.
      double unit = Math.sqrt((double) D / K);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], got64[i], 1e-12 * unit, "float64 at " + i);
        assertEquals(expected[i], got32[i], 1e-5 * unit, "float32 at " + i);
      }
    }
  }

  @Test
  void resultLivesInTheInputManagerAndNothingElseIsLeftBehind() {
    try (NDManager sessionManager = manager.newSubManager();
        NDManager inputManager = manager.newSubManager()) {
      Projector p = projection(ProjectionOptions.DEFAULT_CACHE_BYTES).open(sessionManager);
      NDArray x = inputManager.create(new float[13 * D], new Shape(13, D)); // ragged: padded to 16
      NDArray y = p.project(x);
      assertSame(inputManager, y.getManager());
      assertSame(inputManager, x.getManager());
      assertEquals(2, managedArrays(inputManager));
      p.project(x).close();
      assertEquals(2, managedArrays(inputManager));
      // Three cached blocks, each held with its transposed view.
      assertEquals(6, managedArrays(sessionManager));
      assertTrue(p.cachedBytes() > 0);
      p.close();
      assertEquals(0, managedArrays(sessionManager));
      assertEquals(0, p.cachedBytes());
      assertThrows(IllegalStateException.class, () -> p.project(x));
      p.close(); // idempotent
    }
  }

  private static int managedArrays(NDManager m) {
    return ((BaseNDManager) m).getManagedArrays().size();
  }

  @Test
  void inputsOfTheWrongShapeOrTypeAreRejected() {
    try (NDManager m = manager.newSubManager();
        Projector p = projection(0).open(m)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> p.project(m.zeros(new Shape(4, 1499))));
      assertEquals(
          "projection input has dimension d' = 1499 (shape (4, 1499)): expected d = 1500"
              + " (the projection's input dimension)",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> p.project(m.zeros(new Shape(D))));
      assertEquals(
          "projection input has shape (1500): expected (B, 1500), one gradient per row",
          e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> p.project(m.zeros(new Shape(2, D), DataType.INT32)));
      assertEquals(
          "projection input has data type int32: expected float32 or float64", e.getMessage());
      assertEquals(new Shape(0, K), p.project(m.zeros(new Shape(0, D))).getShape());
    }
  }

  @Test
  void arrayConvenienceEqualsTheSession() {
    DenseProjection proj = projection(ProjectionOptions.DEFAULT_CACHE_BYTES);
    float[][] rows = new float[5][D];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < D; j++) {
        rows[i][j] = (float) data[i * D + j];
      }
    }
    float[][] out = proj.project(rows);
    try (NDManager m = manager.newSubManager();
        Projector p = proj.open(m)) {
      float[] session = p.project(input(m, DataType.FLOAT32)).toFloatArray();
      for (int i = 0; i < rows.length; i++) {
        for (int r = 0; r < K; r++) {
          assertEquals(session[i * K + r], out[i][r], "row " + i + " col " + r);
        }
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> proj.project(new float[][] {new float[3]}));
    assertEquals("projection input row 0 has dimension 3: expected d = 1500", e.getMessage());
    assertEquals(0, proj.project(new float[0][]).length);
  }
}
