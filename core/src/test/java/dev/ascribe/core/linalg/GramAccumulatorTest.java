package dev.ascribe.core.linalg;

import static dev.ascribe.core.linalg.Fixtures.gaussianRows;
import static dev.ascribe.core.linalg.Fixtures.maxAbs;
import static dev.ascribe.core.linalg.Fixtures.maxAbsDiff;
import static dev.ascribe.core.linalg.Fixtures.rowMajor;
import static dev.ascribe.core.linalg.Fixtures.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gram sums Σ φ φᵀ: by hand, across batchings, merges, input forms and Java serialization. */
class GramAccumulatorTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void twoRowsByHand() {
    float[][] rows = {{1, 2}, {3, 4}};
    GramAccumulator java = new GramAccumulator(2).add(rows);
    assertArrayEquals(new double[] {10, 14, 14, 20}, java.sum());
    assertEquals(2, java.count());
    try (NDManager scope = manager.newSubManager()) {
      GramAccumulator viaTorch =
          new GramAccumulator(2).add(scope.create(new double[][] {{1, 2}, {3, 4}}));
      assertArrayEquals(new double[] {10, 14, 14, 20}, viaTorch.sum());
    }
  }

  @Test
  void batchesAgreeWithOneBatchAndRepeatBitIdentically() {
    float[][] rows = gaussianRows(50, 7, 11);
    int[] cuts = {0, 13, 33, 50};
    try (NDManager scope = manager.newSubManager()) {
      GramAccumulator whole = new GramAccumulator(7).add(scope.create(rows));
      GramAccumulator batched = addInBatches(scope, rows, cuts);
      GramAccumulator again = addInBatches(scope, rows, cuts);
      double scale = maxAbs(whole.sum());
      assertTrue(maxAbsDiff(whole.sum(), batched.sum()) <= 1e-12 * scale,
          "batched differs by " + maxAbsDiff(whole.sum(), batched.sum()) + " of " + scale);
      assertEquals(50, batched.count());
      assertEquals(batched, again, "same batches in the same order must give the same bits");
      assertArrayEquals(batched.sum(), again.sum());
    }
  }

  @Test
  void mergeOfTwoHalvesEqualsTheWhole() {
    float[][] rows = gaussianRows(40, 9, 12);
    try (NDManager scope = manager.newSubManager()) {
      NDArray first = scope.create(slice(rows, 0, 17));
      NDArray second = scope.create(slice(rows, 17, 40));
      GramAccumulator whole = new GramAccumulator(9).add(first).add(second);
      GramAccumulator left = new GramAccumulator(9).add(first);
      GramAccumulator right = new GramAccumulator(9).add(second);
      GramAccumulator merged = left.merge(right);
      // 0 + G_1 + G_2 either way: bit-identical, not just close.
      assertEquals(whole, merged);
      assertEquals(40, merged.count());
      assertEquals(23, right.count(), "the merged-in accumulator is left alone");
    }
    // The plain-Java path sums outer products one by one: a merge reorders them, so only close.
    GramAccumulator javaWhole = new GramAccumulator(9).add(rows);
    GramAccumulator javaMerged =
        new GramAccumulator(9).add(slice(rows, 0, 17))
            .merge(new GramAccumulator(9).add(slice(rows, 17, 40)));
    assertTrue(maxAbsDiff(javaWhole.sum(), javaMerged.sum()) <= 1e-12 * maxAbs(javaWhole.sum()));
  }

  @Test
  void ndArrayAndJavaArrayInputsAgree() {
    float[][] rows = gaussianRows(300, 16, 13);
    GramAccumulator reference = new GramAccumulator(16).add(rows);
    GramAccumulator flat = new GramAccumulator(16).add(rowMajor(rows));
    double scale = maxAbs(reference.sum());
    assertTrue(maxAbsDiff(reference.sum(), flat.sum()) <= 1e-12 * scale,
        "BLAS differs from the outer-product reference by "
            + maxAbsDiff(reference.sum(), flat.sum()));
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(rowMajor(rows), new Shape(300, 16));
      GramAccumulator viaArray = new GramAccumulator(16).add(x);
      assertEquals(flat, viaArray, "float[] and NDArray batches run the same BLAS sums");
      assertEquals(300, viaArray.count());
      assertTrue(!x.isReleased(), "the caller's batch stays open");
      GramAccumulator wide = new GramAccumulator(16).add(x.toType(DataType.FLOAT64, false));
      assertEquals(flat, wide, "float32 products are exact in float64: same bits from float64");
    }
  }

  @Test
  void emptyBatchChangesNothing() {
    try (NDManager scope = manager.newSubManager()) {
      GramAccumulator g = new GramAccumulator(3).add(scope.zeros(new Shape(0, 3)));
      assertEquals(new GramAccumulator(3), g);
      assertEquals(0, g.count());
    }
  }

  @Test
  void badInputIsRejectedWithTheValueFound() {
    GramAccumulator g = new GramAccumulator(4);
    try (NDManager scope = manager.newSubManager()) {
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> g.add(scope.zeros(new Shape(2, 5))));
      assertEquals("feature batch has shape (2, 5): expected (B, 4), rows = examples",
          shape.getMessage());
      IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
          () -> g.add(scope.create(new float[] {1, Float.NaN, 0, 0}, new Shape(1, 4))));
      assertTrue(nan.getMessage().contains("NaN or infinity"), nan.getMessage());
    }
    IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
        () -> g.add(new float[][] {{1, 2, 3, 4}, {1, 2, Float.POSITIVE_INFINITY, 4}}));
    assertEquals("feature row 1 has Infinity at column 2: features must be finite",
        row.getMessage());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> g.add(new float[6]));
    assertEquals("row-major features have length 6: expected a multiple of k = 4",
        length.getMessage());
    IllegalArgumentException merge = assertThrows(IllegalArgumentException.class,
        () -> g.merge(new GramAccumulator(5)));
    assertTrue(merge.getMessage().startsWith("cannot merge a Gram accumulator with k = 5"));
    assertEquals(0, g.count(), "rejected input leaves the accumulator unchanged");
    g.add(new float[] {1, 2, 3, 4});
    GramAccumulator before = new GramAccumulator(4).add(new float[] {1, 2, 3, 4});
    assertThrows(IllegalArgumentException.class,
        () -> g.add(new float[] {1, 1, 1, 1, Float.POSITIVE_INFINITY, 0, 0, 0}));
    assertEquals(before, g, "a batch that fails its check adds none of its rows");
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
        () -> new GramAccumulator(0));
    assertTrue(k.getMessage().startsWith("Gram accumulator k given 0: must be in [1, 46340]"));
  }

  @Test
  void javaSerializationKeepsEveryBit() throws IOException, ClassNotFoundException {
    GramAccumulator g = new GramAccumulator(5).add(gaussianRows(8, 5, 14));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(g);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      GramAccumulator back = (GramAccumulator) in.readObject();
      assertNotSame(g, back);
      assertEquals(g, back);
    }
  }

  private static GramAccumulator addInBatches(NDManager scope, float[][] rows, int[] cuts) {
    GramAccumulator g = new GramAccumulator(rows[0].length);
    for (int c = 0; c + 1 < cuts.length; c++) {
      try (NDManager batch = scope.newSubManager()) {
        g.add(batch.create(slice(rows, cuts[c], cuts[c + 1])));
      }
    }
    return g;
  }
}
