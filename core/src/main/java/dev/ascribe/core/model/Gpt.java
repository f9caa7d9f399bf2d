package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@link Model} of a {@link GptSpec}: its parameter arrays in layout order and a functional
 * forward pass over any parameter list of those shapes, which taps every linear map at its T
 * positions and, with probes, adds a per-example zero copy to every other parameter (token and
 * position embeddings, LayerNorm γ and β), so one backward pass yields each example's gradient of
 * those too.
 */
public final class Gpt extends ArrayModel<GptSpec> {
  /** First int of a file written by {@link #save}: "AGP1". */
  private static final int MAGIC = 0x41475031;

  private Gpt(GptSpec spec, NDManager parent, DataType type) {
    super(spec, parent, parent.newSubManager(), new NDList());
    for (ParameterBlock b : spec.layout()) {
      parameters().add(manager().zeros(new Shape(b.shape()), type));
    }
  }

  /** A model of shape {@code spec} with zero parameters of type {@code type}. */
  static Gpt open(GptSpec spec, NDManager parent, DataType type) {
    return new Gpt(spec, parent, type);
  }

  /**
   * nanoGPT's initialization ({@code GPT._init_weights}), drawn on the JVM from {@code seed} (one
   * stream per layout block): embeddings and linear weights normal(0, 0.02), the residual
   * projections (proj, fc2) normal(0, 0.02 / sqrt(2 · layers)), biases 0, LayerNorm γ 1 and β 0.
   */
  public static Gpt initialize(GptSpec spec, NDManager parent, long seed) {
    Gpt net = new Gpt(spec, parent, DataType.FLOAT32);
    double[] theta = new double[spec.numParameters()];
    List<ParameterBlock> layout = spec.layout();
    double residualStd = 0.02 / Math.sqrt(2.0 * spec.layers());
    for (int k = 0; k < layout.size(); k++) {
      ParameterBlock b = layout.get(k);
      String name = b.name();
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, k));
      double std = name.endsWith("proj.weight") || name.endsWith("fc2.weight") ? residualStd
          : 0.02;
      boolean gaussian = name.startsWith("wte") || name.startsWith("wpe")
          || (name.endsWith(".weight") && !name.contains("ln"));
      double constant = name.contains("ln") && name.endsWith(".weight") ? 1.0 : 0.0;
      for (int i = b.offset(); i < b.end(); i++) {
        theta[i] = gaussian ? std * rng.nextGaussian() : constant;
      }
    }
    net.setParameters(theta);
    return net;
  }

  /** Writes "AGP1", the parameter count and the float32 parameters in flat order. */
  @Override
  public void save(OutputStream out) throws IOException {
    writeParameters(out, MAGIC);
  }

  @Override
  public void load(InputStream in) throws IOException {
    readParameters(in, MAGIC);
  }

  @Override
  public Gpt copy(DataType type) {
    Gpt net = new Gpt(spec(), parent(), type);
    net.setParameters(parametersAsDouble());
    return net;
  }

  /** The next tokens one-hot, shape (B, T, V): row x shifted by one; the labels are not used. */
  @Override
  public NDArray targets(NDArray x, int[] labels, DataType type) {
    return tokens(x, 1).oneHot(spec().numClasses()).toType(type, false);
  }

  /** Token ids x[:, from : from + T] as int64, shape (B, T). */
  private NDArray tokens(NDArray x, int from) {
    return x.get(new NDIndex(":, {}:{}", from, from + spec().context()))
        .toType(DataType.INT64, false);
  }

  /**
   * Embeddings, the blocks, the final LayerNorm and the head; logits (B, T, V). Dropout masks, in
   * mask-layer order: 0 after the embeddings; per block l, 1 + 3l on the attention weights, 2 + 3l
   * and 3 + 3l on the attention and MLP residual branches.
   */
  @Override
  public ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes) {
    Pass pass = new Pass(x.getManager(), params, masks, withProbes, x.getShape().get(0));
    NDArray oneHot = tokens(x, 0).oneHot(spec().numClasses()).toType(dataType(), false);
    NDArray h = oneHot.matMul(pass.perExample(0)).add(pass.perExample(1));
    h = pass.dropout(0, h);
    for (int l = 0; l < spec().layers(); l++) {
      int first = GptSpec.firstBlockOf(l);
      int tap = GptSpec.TAPS_PER_LAYER * l;
      NDArray qkv = pass.linear(tap, pass.norm(h, first), first + 2);
      NDArray attended = CausalSelfAttention.apply(qkv, spec().heads(), pass.mask, pass.scale,
          pass.dropoutMask(1 + 3 * l, new Shape(pass.batch, spec().heads(), spec().context(),
              spec().context())));
      h = h.add(pass.dropout(2 + 3 * l, pass.linear(tap + 1, attended, first + 4)));
      NDArray hidden = Activation.gelu(pass.linear(tap + 2, pass.norm(h, first + 6), first + 8));
      h = h.add(pass.dropout(3 + 3 * l, pass.linear(tap + 3, hidden, first + 10)));
    }
    int last = spec().finalNormBlock();
    NDArray logits = pass.linear(GptSpec.TAPS_PER_LAYER * spec().layers(), pass.norm(h, last),
        last + 2);
    List<NDArray> probes = new ArrayList<>();
    if (withProbes) {
      for (int k : spec().probedBlocks()) {
        probes.add(pass.blockProbes[k]);
      }
    }
    return new ForwardTrace(logits, pass.taps, probes);
  }

  /** One forward pass's state: where arrays go, the taps and probes recorded so far. */
  private final class Pass {
    final NDManager scope;
    final NDList params;
    final DropoutMasks masks;
    final boolean withProbes;
    final long batch;
    final List<Tap> taps = new ArrayList<>();
    final NDArray[] blockProbes;
    final NDArray epsilon;
    final NDArray scale;
    final NDArray mask;

    Pass(NDManager scope, NDList params, DropoutMasks masks, boolean withProbes, long batch) {
      this.scope = scope;
      this.params = params;
      this.masks = masks;
      this.withProbes = withProbes;
      this.batch = batch;
      this.blockProbes = new NDArray[params.size()];
      DataType type = dataType();
      // Constants live in the pass's scope until after backward (see LayerNorm.apply).
      this.epsilon = scope.create(LayerNorm.EPSILON).toType(type, false);
      this.scale = scope.create(1.0 / Math.sqrt((double) spec().embd() / spec().heads()))
          .toType(type, false);
      this.mask = CausalSelfAttention.mask(spec().context(), type, scope);
    }

    /** z = W a + b at every position, tapped; W and b are blocks {@code weight}, weight + 1. */
    NDArray linear(int tap, NDArray a, int weight) {
      NDArray z = Linear.linear(a, params.get(weight), params.get(weight + 1)).singletonOrThrow();
      NDArray probe = null;
      if (withProbes) {
        probe = scope.zeros(z.getShape(), z.getDataType());
        probe.setRequiresGradient(true);
        z = z.add(probe);
      }
      taps.add(new Tap(a, probe));
      return z;
    }

    /**
     * Block {@code k} as each example uses it: the parameter itself, or with probes the parameter
     * plus a zero probe of shape (B, *block shape) requiring gradients, so the probe's gradient is
     * each example's gradient of the block.
     */
    NDArray perExample(int k) {
      NDArray param = params.get(k);
      if (!withProbes) {
        return param;
      }
      Shape shape = new Shape(batch).addAll(param.getShape());
      NDArray probe = scope.zeros(shape, param.getDataType());
      probe.setRequiresGradient(true);
      blockProbes[k] = probe;
      return param.add(probe);
    }

    /** LayerNorm of h with γ, β = blocks {@code gamma}, gamma + 1. */
    NDArray norm(NDArray h, int gamma) {
      NDArray g = perExample(gamma);
      NDArray b = perExample(gamma + 1);
      if (withProbes) {
        g = g.expandDims(1);
        b = b.expandDims(1);
      }
      return LayerNorm.apply(h, g, b, epsilon);
    }

    NDArray dropoutMask(int layer, Shape shape) {
      return masks.active() ? masks.mask(layer, shape, dataType(), scope) : null;
    }

    NDArray dropout(int layer, NDArray a) {
      return masks.active() ? a.mul(masks.mask(layer, a.getShape(), a.getDataType(), scope)) : a;
    }
  }
}
