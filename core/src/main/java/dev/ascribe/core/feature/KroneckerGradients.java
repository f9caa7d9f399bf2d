package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.Projector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kronecker-structured features of tapped linear layers (LoGra, Choe et al. 2024, "What is Your
 * Data Worth to GPT?"): a linear layer's per-example gradient is δ ãᵀ (output gradient δ, input
 * ã = [a, 1] augmented for the bias, or a for a layer without one), and its projection is
 * computed as (P_out δ) ⊗ (P_in ã),
 * never forming δ ãᵀ. For a layer applied at T positions the gradient is Σ_t δ_t ã_tᵀ and the
 * block Σ_t (P_out δ_t) ⊗ (P_in ã_t), a sum of per-position products (never the product of
 * sums). Feature rows are the chosen layers' blocks side by side; within a block, entry (r, s)
 * sits at r · k_in + s.
 *
 * <p>With identity sides a block is a permutation of the layer's gradient (weight and bias), so
 * inner products equal those of whole gradients when the tapped layers hold every parameter;
 * parameters outside them (probed blocks such as normalization scales) are left out, as LoGra
 * covers linear layers only. {@link FeatureMaps} builds it for {@link
 * FeatureMapKind#KRONECKER}, choosing each side's projection (seeds, and which sides stay whole).
 */
public final class KroneckerGradients implements GradientMap {
  private final int[] layers;
  private final int[] outWidth;
  private final int[] inWidth;
  private final boolean[] bias;
  private final Projection[] out;
  private final Projection[] in;

  /**
   * @param layers the tapped layers used, in order (indices into {@link ModelSpec#tappedLayers()})
   * @param out per chosen layer, P_out (k_out x the layer's outputs), or null to keep δ whole
   * @param in per chosen layer, P_in (k_in x the layer's inputs + 1), or null to keep ã whole
   * @throws IllegalArgumentException if the arrays differ in length, a layer is not a tapped layer
   *     of {@code spec}, or a projection's input dimension is not its side's width
   */
  public KroneckerGradients(ModelSpec spec, int[] layers, Projection[] out, Projection[] in) {
    if (out.length != layers.length || in.length != layers.length) {
      throw new IllegalArgumentException("Kronecker projection of " + layers.length
          + " layers given " + out.length + " out and " + in.length + " in projections");
    }
    this.layers = layers.clone();
    this.outWidth = new int[layers.length];
    this.inWidth = new int[layers.length];
    this.bias = new boolean[layers.length];
    this.out = out.clone();
    this.in = in.clone();
    for (int i = 0; i < layers.length; i++) {
      int l = layers[i];
      if (l < 0 || l >= spec.tappedLayers().size()) {
        throw new IllegalArgumentException("layer " + l + " is not a linear layer of " + spec);
      }
      TappedLayer tapped = spec.tappedLayers().get(l);
      outWidth[i] = tapped.out();
      inWidth[i] = tapped.augmentedIn();
      bias[i] = tapped.hasBias();
      checkSide("out", l, this.out[i], outWidth[i]);
      checkSide("in", l, this.in[i], inWidth[i]);
    }
  }

  private static void checkSide(String side, int layer, Projection p, int width) {
    if (p != null && p.inputDim() != width) {
      throw new IllegalArgumentException("Kronecker " + side + " projection of layer " + layer
          + " has input dimension " + p.inputDim() + ": expected the side's width " + width);
    }
  }

  private static int dim(Projection p, int width) {
    return p == null ? width : p.outputDim();
  }

  @Override
  public int outputDim() {
    int k = 0;
    for (int i = 0; i < layers.length; i++) {
      k += dim(out[i], outWidth[i]) * dim(in[i], inWidth[i]);
    }
    return k;
  }

  @Override
  public Session open(NDManager manager) {
    NDManager own = manager.newSubManager();
    List<Projector> outP = new ArrayList<>();
    List<Projector> inP = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      outP.add(out[i] == null ? null : out[i].open(own));
      inP.add(in[i] == null ? null : in[i].open(own));
    }
    return new Session() {
      @Override
      public NDArray apply(Backprop pass) {
        NDList blocks = new NDList();
        for (int i = 0; i < layers.length; i++) {
          blocks.add(block(pass.layer(layers[i]), bias[i], outP.get(i), inP.get(i)));
        }
        return blocks.size() == 1 ? blocks.head() : ai.djl.ndarray.NDArrays.concat(blocks, 1);
      }

      @Override
      public void close() {
        for (Projector p : outP) {
          if (p != null) {
            p.close();
          }
        }
        for (Projector p : inP) {
          if (p != null) {
            p.close();
          }
        }
        own.close();
      }
    };
  }

  /**
   * One layer's block, shape (B, k_out · k_in): (P_out δ) ⊗ (P_in ã) per example, summed over
   * positions for a layer applied at several; ã = a when the layer has no bias.
   */
  static NDArray block(LayerGradient g, boolean bias, Projector outP, Projector inP) {
    NDArray delta = g.delta();
    NDArray a = g.input();
    long b = a.getShape().get(0);
    int last = a.getShape().dimension() - 1;
    Shape ones = a.getShape().slice(0, last).add(1);
    NDArray augmented = bias ? a.concat(a.getManager().ones(ones, a.getDataType()), last) : a;
    NDArray left = project(outP, delta);
    NDArray right = project(inP, augmented);
    if (!g.hasPositions()) {
      return left.expandDims(2).batchMatMul(right.expandDims(1)).reshape(b, -1);
    }
    return left.transpose(0, 2, 1).batchMatMul(right).reshape(b, -1);
  }

  /** {@code p} applied to the last axis of {@code x} (rows, or rows of positions). */
  private static NDArray project(Projector p, NDArray x) {
    if (p == null) {
      return x;
    }
    if (x.getShape().dimension() == 2) {
      return p.project(x);
    }
    Shape shape = x.getShape();
    NDArray flat = p.project(x.reshape(-1, shape.get(2)));
    return flat.reshape(shape.get(0), shape.get(1), -1);
  }

  @Override
  public Map<String, Object> describe() {
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", layers[i]);
      m.put("out", out[i] == null ? "identity " + outWidth[i] : out[i].describe());
      m.put("in", in[i] == null ? "identity " + inWidth[i] : in[i].describe());
      blocks.add(m);
    }
    return Map.of("kind", "kronecker", "blocks", blocks);
  }
}
