package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.project.SparseSketch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sparse projections of whole per-example gradients straight from a pass's taps: each tapped
 * layer's weight gradient Σ_t δ_t a_tᵀ and bias gradient Σ_t δ_t go to the {@link SparseSketch}
 * block by block, so neither the (B, d) gradient matrix nor one layer's (B, out x in) block is ever
 * formed. Blocks are given in flat parameter order, so the features equal, bit for bit, the sparse
 * projection of the gradients {@link dev.ascribe.core.grad.PerExampleGradients} forms (for layers
 * applied once; with positions, up to the order of the sums over positions). A probed block's rows
 * go in as they are. For models whose taps and probed blocks cover every parameter.
 */
final class SketchedGradients {
  private SketchedGradients() {}

  /**
   * One block of the flat gradient, Σ_t δ_t ⊗ input_t: a layer's weight (input a, shape (B, T,
   * in)), its bias (input the constant 1 at every position, shared by all rows), or a probed
   * block (δ its gradient rows, one position, input 1).
   */
  private record Block(int offset, int out, int in, int positions, double[] delta,
      double[] input, boolean bias) {
    int inputOffset(int row) {
      return bias ? 0 : row * positions * in;
    }
  }

  /**
   * Features of one finished pass, shape (B, k), in the pass's manager, float32 for a float32
   * model (values rounded as the model's own gradients are) and float64 for a float64 model.
   */
  static NDArray project(Backprop pass, SparseSketch sketch, int k) {
    ModelSpec spec = pass.source().model().spec();
    List<TappedLayer> tapped = spec.tappedLayers();
    int batch = (int) pass.values().getShape().get(0);
    boolean float32 = pass.values().getDataType() == DataType.FLOAT32;
    List<Block> blocks = new ArrayList<>();
    for (TappedLayer t : tapped) {
      LayerGradient g = pass.layer(t.index());
      int positions = g.hasPositions() ? (int) g.input().getShape().get(1) : 1;
      double[] delta = SparseSketch.values(g.delta());
      double[] ones = new double[positions];
      Arrays.fill(ones, 1.0);
      blocks.add(new Block(t.weightOffset(), t.out(), t.in(), positions, delta,
          SparseSketch.values(g.input()), false));
      if (t.hasBias()) {
        blocks.add(new Block(t.biasOffset(), t.out(), 1, positions, delta, ones, true));
      }
    }
    List<Integer> probed = spec.probedBlocks();
    for (int j = 0; j < probed.size(); j++) {
      int size = spec.layout().get(probed.get(j)).size();
      blocks.add(new Block(spec.layout().get(probed.get(j)).offset(), size, 1, 1,
          SparseSketch.values(pass.blocks().get(j)), new double[] {1.0}, true));
    }
    blocks.sort(Comparator.comparingInt(Block::offset));
    float[] rows32 = float32 ? new float[batch * k] : null;
    double[] rows64 = float32 ? null : new double[batch * k];
    for (int b = 0; b < batch; b++) {
      for (Block block : blocks) {
        sketch.addOuter(block.offset(), block.delta(), b * block.positions() * block.out(),
            block.out(), block.input(), block.inputOffset(b), block.in(), block.positions(),
            float32);
      }
      if (float32) {
        sketch.finishRow(rows32, b * k);
      } else {
        sketch.finishRow(rows64, b * k);
      }
    }
    return float32
        ? pass.values().getManager().create(rows32, new Shape(batch, k))
        : pass.values().getManager().create(rows64, new Shape(batch, k));
  }
}
