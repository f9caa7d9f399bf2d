package dev.ascribe.core.grad;

import dev.ascribe.core.task.ModelOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per-example gradients ∇θ f(z_i; θ) for a batch, as rows of a (B, d) matrix in the flat parameter
 * order of the model's {@link ModelSpec}. Dropout is always off.
 *
 * <p>Two ways to compute them, which agree to rounding; {@link #methodFor} picks one per model:
 *
 * <ul>
 *   <li>{@link Method#TAPS}: one forward and one backward pass for the whole batch capture each
 *       tapped layer's input a and output gradient δ; the weight gradient of example i is
 *       Σ_t δ_{i,t} a_{i,t}ᵀ (the outer product δ_i a_iᵀ for a layer applied once), its bias
 *       gradient Σ_t δ_{i,t}; a probed block's gradient is its probe's. Used when the tapped
 *       layers and probed blocks hold every parameter ({@link ModelSpec#onePassGradients()}).
 *   <li>{@link Method#BACKWARD_LOOP}: one backward pass per example through leaf copies of the
 *       parameters (or, for a model that owns its parameters such as TorchScript, through its own
 *       arrays, gradients zeroed: {@link Autograd#differentiable}): the generic route for any
 *       model, kept as the reference and the benchmark baseline.
 * </ul>
 */
public final class PerExampleGradients {
  /** How per-example gradients are computed. */
  public enum Method {
    TAPS,
    BACKWARD_LOOP
  }

  private PerExampleGradients() {}

  /**
   * The method for a model: taps when they and the probed blocks cover every parameter, the
   * backward loop otherwise.
   */
  public static Method methodFor(ModelSpec spec) {
    return spec.onePassGradients() ? Method.TAPS : Method.BACKWARD_LOOP;
  }

  /**
   * Per-example gradients by the model's own {@link #methodFor method}.
   *
   * @param x inputs, shape (B, inputDim); the result lands in its manager
   * @param labels class of each row, length B
   * @return shape (B, d), rows = examples
   */
  public static NDArray compute(Model net, NDArray x, int[] labels, ModelOutput output) {
    return compute(methodFor(net.spec()), net, x, labels, output);
  }

  /** Per-example gradients by the given method; see {@link #compute(Model, NDArray, int[], ModelOutput)}. */
  public static NDArray compute(
      Method method, Model net, NDArray x, int[] labels, ModelOutput output) {
    if (x.getShape().get(0) != labels.length) {
      throw new IllegalArgumentException(
          "batch has " + x.getShape().get(0) + " rows but " + labels.length + " labels");
    }
    if (method == Method.TAPS && !net.spec().onePassGradients()) {
      throw new IllegalArgumentException("per-example gradients by " + Method.TAPS + " need taps"
          + " or probes on every parameter: model " + net.spec().name() + " has parameters"
          + " outside its tapped layers and probed blocks; use " + Method.BACKWARD_LOOP);
    }
    return method == Method.TAPS
        ? fromTaps(Backprop.run(net, x, labels, output, DropoutMasks.NONE, 1.0))
        : byLoop(net, x, labels, output);
  }

  /**
   * Per-example gradients from a finished {@link Backprop} pass of Σ_i f_i (scale 1), by the
   * model's own method (for {@link Method#BACKWARD_LOOP}, new passes over the pass's source).
   * Shape (B, d), in the pass's manager.
   */
  public static NDArray of(Backprop pass) {
    Backprop.Source s = pass.source();
    return methodFor(s.model().spec()) == Method.TAPS ? fromTaps(pass)
        : byLoop(s.model(), s.x(), s.labels(), s.output());
  }

  /**
   * From the taps: every tapped layer's weight gradient (Σ_t δ_t a_tᵀ) and bias gradient (Σ_t δ_t),
   * and every probed block's gradient, placed side by side in flat parameter order. Together they
   * must cover every parameter.
   */
  static NDArray fromTaps(Backprop pass) {
    ModelSpec spec = pass.source().model().spec();
    List<TappedLayer> tapped = spec.tappedLayers();
    long batch = pass.values().getShape().get(0);
    List<Piece> pieces = new ArrayList<>();
    for (TappedLayer t : tapped) {
      LayerGradient g = pass.layer(t.index());
      NDArray weight;
      NDArray bias;
      if (g.hasPositions()) {
        weight = g.delta().transpose(0, 2, 1).batchMatMul(g.input());
        bias = g.delta().sum(new int[] {1});
      } else {
        weight = g.delta().expandDims(2).batchMatMul(g.input().expandDims(1));
        bias = g.delta();
      }
      pieces.add(new Piece(t.weightOffset(), weight.reshape(batch, -1)));
      if (t.hasBias()) {
        pieces.add(new Piece(t.biasOffset(), bias));
      }
    }
    List<Integer> probed = spec.probedBlocks();
    for (int j = 0; j < probed.size(); j++) {
      pieces.add(new Piece(spec.layout().get(probed.get(j)).offset(), pass.blocks().get(j)));
    }
    pieces.sort(Comparator.comparingInt(Piece::offset));
    NDList columns = new NDList();
    for (Piece p : pieces) {
      columns.add(p.columns());
    }
    return NDArrays.concatColumns(columns);
  }

  private record Piece(int offset, NDArray columns) {}

  private static NDArray byLoop(Model net, NDArray x, int[] labels, ModelOutput output) {
    NDManager scope = x.getManager();
    NDList leaves = Autograd.differentiable(net, scope);
    NDList rows = new NDList();
    try (Autograd.Scope grad = Autograd.gradMode(true)) {
      for (int i = 0; i < labels.length; i++) {
        NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
        ForwardTrace trace = net.forward(xi, leaves, DropoutMasks.NONE, false);
        NDArray value = output.perExample(trace.logits(),
            net.targets(xi, new int[] {labels[i]}, trace.logits().getDataType()));
        Autograd.backward(value.sum());
        NDList grads = new NDList();
        for (NDArray leaf : leaves) {
          grads.add(Autograd.gradientCopy(leaf, scope).reshape(1, -1));
          Autograd.zeroGradient(leaf);
        }
        rows.add(NDArrays.concatColumns(grads));
      }
    }
    return NDArrays.concatRows(rows);
  }
}
