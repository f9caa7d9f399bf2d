package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.model.Seeds;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.project.Projector;
import dev.ascribe.core.project.RandomProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kronecker-structured features of tapped linear layers (LoGra, Choe et al. 2024, "What is Your
 * Data Worth to GPT?"): a linear layer's per-example gradient is δ ãᵀ (output gradient δ, input
 * ã = [a, 1] augmented for the bias), and its projection is computed as (P_out δ) ⊗ (P_in ã),
 * never forming δ ãᵀ. For a layer applied at T positions the gradient is Σ_t δ_t ã_tᵀ and the
 * block Σ_t (P_out δ_t) ⊗ (P_in ã_t), a sum of per-position products (never the product of sums). Feature rows are the chosen layers' blocks side by side; within a block,
 * entry (r, s) sits at r · k_in + s.
 *
 * <p>With identity projections a block is a permutation of the layer's gradient (weight and bias),
 * so inner products equal those of whole gradients. Each side's projection is a dense {@link
 * RandomProjection} with seed {@code Seeds.derive(seed, layer, side)} (side 0 = out, 1 = in); a
 * side whose dimension is 0, or at least its width, is kept whole (projecting to as many
 * dimensions or more only adds noise).
 */
public final class KroneckerGradients implements GradientMap {
  private final int[] layers;
  private final int[] outWidth;
  private final int[] inWidth;
  private final RandomProjection[] out;
  private final RandomProjection[] in;

  /**
   * @param layers the tapped layers used, in order (indices into {@link ModelSpec#tappedLayers()})
   * @param outDims k_out per chosen layer (0 = identity)
   * @param inDims k_in per chosen layer (0 = identity)
   */
  public KroneckerGradients(ModelSpec spec, int[] layers, int[] outDims, int[] inDims,
      ProjectionKind kind, long seed) {
    if (outDims.length != layers.length || inDims.length != layers.length) {
      throw new IllegalArgumentException("Kronecker projection of " + layers.length
          + " layers given " + outDims.length + " out and " + inDims.length + " in dimensions");
    }
    this.layers = layers.clone();
    this.outWidth = new int[layers.length];
    this.inWidth = new int[layers.length];
    this.out = new RandomProjection[layers.length];
    this.in = new RandomProjection[layers.length];
    for (int i = 0; i < layers.length; i++) {
      int l = layers[i];
      if (l < 0 || l >= spec.tappedLayers().size()) {
        throw new IllegalArgumentException("layer " + l + " is not a linear layer of " + spec);
      }
      TappedLayer tapped = spec.tappedLayers().get(l);
      outWidth[i] = tapped.out();
      inWidth[i] = tapped.in() + 1;
      out[i] = side(outDims[i], outWidth[i], kind, Seeds.derive(seed, l, 0));
      in[i] = side(inDims[i], inWidth[i], kind, Seeds.derive(seed, l, 1));
    }
  }

  /** The given layers of {@code spec}, each side kept whole: a permuted whole gradient. */
  public static KroneckerGradients identity(ModelSpec spec, int[] layers) {
    return new KroneckerGradients(spec, layers, new int[layers.length], new int[layers.length],
        ProjectionKind.GAUSSIAN, 0);
  }

  private static RandomProjection side(int k, int width, ProjectionKind kind, long seed) {
    if (k < 0) {
      throw new IllegalArgumentException("Kronecker projection dimension given " + k
          + ": must be >= 1, or 0 to keep the side whole");
    }
    if (k == 0 || k >= width) {
      return null;
    }
    return new RandomProjection(ProjectionOptions.builder().setDim(k).optKind(kind).optSeed(seed)
        .build(), width);
  }

  private static int dim(RandomProjection p, int width) {
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
          blocks.add(block(pass.layer(layers[i]), outP.get(i), inP.get(i)));
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
   * positions for a layer applied at several.
   */
  static NDArray block(LayerGradient g, Projector outP, Projector inP) {
    NDArray delta = g.delta();
    NDArray a = g.input();
    long b = a.getShape().get(0);
    int last = a.getShape().dimension() - 1;
    Shape ones = a.getShape().slice(0, last).add(1);
    NDArray augmented = a.concat(a.getManager().ones(ones, a.getDataType()), last);
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
