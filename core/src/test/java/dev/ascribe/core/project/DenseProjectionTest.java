package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matrix definition: determinism, layout, and the pinned format. */
class DenseProjectionTest {
  /** The kinds {@link DenseProjection} implements (sjlt and factorized have tests of their own). */
  private static final ProjectionKind[] DENSE =
      {ProjectionKind.GAUSSIAN, ProjectionKind.RADEMACHER};

  private static DenseProjection projection(ProjectionKind kind, long seed, int k, int bs, int d) {
    return (DenseProjection) Projection.of(
        ProjectionOptions.builder().setDim(k).optKind(kind).optSeed(seed).optBlockSize(bs).build(),
        d);
  }

  @Test
  void blocksCoverTheColumnsWithAShortLastBlock() {
    DenseProjection p = projection(ProjectionKind.GAUSSIAN, 0, 4, 100, 1037);
    assertEquals(11, p.numBlocks());
    assertEquals(1000, p.blockStart(10));
    assertEquals(100, p.blockWidth(0));
    assertEquals(37, p.blockWidth(10));
    assertEquals(4 * 37, p.block(10).length);
    assertThrows(IndexOutOfBoundsException.class, () -> p.block(11));
    assertThrows(IndexOutOfBoundsException.class, () -> p.entry(4, 0));
  }

  @Test
  void inputDimensionMustBePositive() {
    ProjectionOptions o = ProjectionOptions.builder().setDim(8).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Projection.of(o, 0));
    assertEquals("projection input dimension given 0: must be >= 1", e.getMessage());
  }

  @Test
  void blocksDoNotDependOnGenerationOrder() {
    for (ProjectionKind kind : DENSE) {
      DenseProjection p = projection(kind, 5, 16, 64, 500);
      float[][] forward = new float[p.numBlocks()][];
      for (int b = 0; b < p.numBlocks(); b++) {
        forward[b] = p.block(b);
      }
      for (int b = p.numBlocks() - 1; b >= 0; b--) {
        assertArrayEquals(forward[b], p.block(b), kind + " block " + b);
      }
      assertArrayEquals(forward[3], p.block(3));
    }
  }

  @Test
  void sameOptionsGiveBitIdenticalMatricesAndOtherSeedsDiffer() {
    for (ProjectionKind kind : DENSE) {
      DenseProjection a = projection(kind, 17, 32, 128, 300);
      DenseProjection b = projection(kind, 17, 32, 128, 300);
      DenseProjection c = projection(kind, 18, 32, 128, 300);
      for (int blk = 0; blk < a.numBlocks(); blk++) {
        assertArrayEquals(a.block(blk), b.block(blk));
        assertArrayEquals(a.blockAsDouble(blk), b.blockAsDouble(blk));
        float[] other = c.block(blk);
        int same = 0;
        for (int i = 0; i < other.length; i++) {
          same += other[i] == a.block(blk)[i] ? 1 : 0;
        }
        // Independent signs agree half the time; Gaussians essentially never.
        int limit = kind == ProjectionKind.GAUSSIAN ? 0 : other.length * 6 / 10;
        assertFalse(same > limit, kind + " seed 17 and 18 share " + same + " of " + other.length);
      }
    }
  }

  @Test
  void entryAgreesWithBlocksIncludingOddBlockSizesAndWidths() {
    for (ProjectionKind kind : DENSE) {
      // blockSize 7 makes Box–Muller pairs straddle rows; d = 40 leaves a last block of width 5.
      for (int bs : new int[] {7, 16}) {
        DenseProjection p = projection(kind, 3, 6, bs, 40);
        for (int b = 0; b < p.numBlocks(); b++) {
          int w = p.blockWidth(b);
          float[] f = p.block(b);
          double[] d = p.blockAsDouble(b);
          for (int r = 0; r < p.outputDim(); r++) {
            for (int jj = 0; jj < w; jj++) {
              double e = p.entry(r, p.blockStart(b) + jj);
              assertEquals(e, d[r * w + jj], kind + " (" + r + "," + jj + ")");
              assertEquals((float) e, f[r * w + jj]);
            }
          }
        }
      }
    }
  }

  @Test
  void entryFollowsTheDocumentedLayout() {
    DenseProjection p = projection(ProjectionKind.GAUSSIAN, 9, 10, 64, 200);
    int r = 7;
    int j = 150; // block 2, offset 22
    double z = CounterRandom.gaussian(CounterRandom.key(9, 2), (long) r * 64 + 22);
    double scale = 1.0 / Math.sqrt(10);
    assertEquals(scale * z, p.entry(r, j));
    DenseProjection s = projection(ProjectionKind.RADEMACHER, 9, 10, 64, 200);
    assertEquals(
        scale * CounterRandom.rademacher(CounterRandom.key(9, 2), (long) r * 64 + 22),
        s.entry(r, j));
  }

  @Test
  void firstRowsOfALargerProjectionAreTheSmallerOneRescaled() {
    DenseProjection small = projection(ProjectionKind.GAUSSIAN, 1, 8, 32, 100);
    DenseProjection large = projection(ProjectionKind.GAUSSIAN, 1, 32, 32, 100);
    for (int r = 0; r < 8; r++) {
      for (int j = 0; j < 100; j += 9) {
        assertEquals(small.entry(r, j), large.entry(r, j) * 2.0, 1e-15);
      }
    }
  }

  /**
   * Pins format version 1: stored features depend on these values. If this fails, the layout or the
   * generator changed: restore it, or bump {@link DenseProjection#FORMAT_VERSION}.
   */
  @Test
  void formatVersion1ValuesArePinned() {
    assertEquals(1, DenseProjection.FORMAT_VERSION);
    DenseProjection g = projection(ProjectionKind.GAUSSIAN, 0, 512, 4096, 109_386);
    int[][] at = {{0, 0}, {0, 1}, {1, 0}, {511, 4095}, {3, 4096}, {100, 109_385}};
    double[] gaussian = {
      -0.012324646803973664,
      -0.03893792534698941,
      0.06892352510830402,
      9.540774998401399E-4,
      -0.033568824179200915,
      0.03810928083913608
    };
    for (int i = 0; i < at.length; i++) {
      assertEquals(
          gaussian[i], g.entry(at[i][0], at[i][1]), "gaussian entry " + Arrays.toString(at[i]));
    }
    DenseProjection s = projection(ProjectionKind.RADEMACHER, 0, 512, 4096, 109_386);
    StringBuilder row0 = new StringBuilder();
    for (int j = 0; j < 40; j++) {
      row0.append(s.entry(0, j) < 0 ? '-' : '+');
    }
    assertEquals("----+--++------+-++--+++-+--++-+----+-++", row0.toString());
    assertEquals(-1 / Math.sqrt(512), s.entry(100, 109_385));
  }

  @Test
  void describeNamesEverythingThatDefinesTheMatrix() {
    DenseProjection p = projection(ProjectionKind.RADEMACHER, 4, 256, 1024, 5000);
    assertEquals(
        Map.of(
            "formatVersion",
            1,
            "kind",
            "RADEMACHER",
            "outputDim",
            256,
            "inputDim",
            5000,
            "seed",
            4L,
            "blockSize",
            1024),
        p.describe());
  }
}
