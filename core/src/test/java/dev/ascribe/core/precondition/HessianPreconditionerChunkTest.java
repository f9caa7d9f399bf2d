package dev.ascribe.core.precondition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HessianPreconditionerChunkTest {
  @Test
  void chunksAreWholeDirectionBlocksWithinTheBudget() {
    // MNIST-MLP whole gradients: 76 vectors of 109,386 doubles fit 64 MiB; 4 blocks of 16 do.
    assertEquals(64, HessianPreconditioner.chunkRows(109_386, 16));
    // MNIST-LR: 1,068 fit, 66 blocks of 16: its 500 queries are solved in one chunk.
    assertEquals(1056, HessianPreconditioner.chunkRows(7_850, 16));
    for (int dim : new int[] {10, 650, 7_850, 109_386, 3_000_000}) {
      int rows = HessianPreconditioner.chunkRows(dim, 16);
      assertEquals(0, rows % 16, "whole blocks for d = " + dim);
      assertTrue(rows == 16 || 8L * dim * rows <= HessianPreconditioner.CHUNK_BYTES,
          "within the budget, or one block, for d = " + dim);
    }
    // A vector larger than the budget still gets one block.
    assertEquals(16, HessianPreconditioner.chunkRows(20_000_000, 16));
  }
}
