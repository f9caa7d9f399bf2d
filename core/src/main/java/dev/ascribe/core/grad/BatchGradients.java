package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ParameterBlock;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.task.ModelOutput;
import java.util.List;

/**
 * The gradient of a batch mean (1/B) Σ_i f_i with respect to every parameter array, the training
 * step's gradient. The route follows {@link PerExampleGradients#methodFor}: from the taps of one
 * {@link Backprop} pass when they and the probed blocks cover every parameter (for a tapped layer
 * with output gradients δ of the mean and inputs a, ∇W = Σ δᵀ a over examples and positions, ∇b =
 * Σ δ; for a probed block the sum of its probe's rows), otherwise by
 * autograd through {@link Autograd#differentiable} parameters (leaf copies, or a TorchScript
 * module's own arrays).
 */
public final class BatchGradients {
  private BatchGradients() {}

  /**
   * Gradients of the mean of {@code output} over the batch, on {@code x}'s manager.
   *
   * @param x inputs, shape (B, inputDim)
   * @param labels class of each row, length B
   * @param masks dropout masks of this step
   * @return one array per {@link Model#parameters()} entry, same order and shapes
   */
  public static NDList mean(Model net, NDArray x, int[] labels, ModelOutput output,
      DropoutMasks masks) {
    return PerExampleGradients.methodFor(net.spec()) == PerExampleGradients.Method.TAPS
        ? fromTaps(net, x, labels, output, masks)
        : byAutograd(net, x, labels, output, masks);
  }

  private static NDList fromTaps(Model net, NDArray x, int[] labels, ModelOutput output,
      DropoutMasks masks) {
    Backprop bp = Backprop.run(net, x, labels, output, masks, 1.0 / labels.length);
    List<ParameterBlock> layout = net.spec().layout();
    NDArray[] grads = new NDArray[layout.size()];
    try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
      for (TappedLayer t : net.spec().tappedLayers()) {
        LayerGradient g = bp.layer(t.index());
        // A layer applied at several positions sums over them as over examples.
        NDArray delta = g.hasPositions() ? g.delta().reshape(-1, t.out()) : g.delta();
        NDArray input = g.hasPositions() ? g.input().reshape(-1, t.in()) : g.input();
        grads[slot(layout, t.weightOffset())] = delta.transpose().matMul(input);
        if (t.hasBias()) {
          grads[slot(layout, t.biasOffset())] = delta.sum(new int[] {0});
        }
      }
      List<Integer> probed = net.spec().probedBlocks();
      for (int j = 0; j < probed.size(); j++) {
        // The block's gradient is the sum of the examples' own (the pass is already scaled).
        grads[probed.get(j)] = bp.blocks().get(j).sum(new int[] {0})
            .reshape(new Shape(layout.get(probed.get(j)).shape()));
      }
    }
    return new NDList(grads);
  }

  /** Index of the layout block starting at {@code offset}. */
  private static int slot(List<ParameterBlock> layout, int offset) {
    for (int k = 0; k < layout.size(); k++) {
      if (layout.get(k).offset() == offset) {
        return k;
      }
    }
    throw new IllegalStateException("no parameter block starts at offset " + offset);
  }

  private static NDList byAutograd(Model net, NDArray x, int[] labels, ModelOutput output,
      DropoutMasks masks) {
    NDManager scope = x.getManager();
    NDList leaves = Autograd.differentiable(net, scope);
    try (Autograd.Scope grad = Autograd.gradMode(true)) {
      ForwardTrace trace = net.forward(x, leaves, masks, false);
      NDArray values = output.perExample(trace.logits(),
          net.targets(x, labels, trace.logits().getDataType()));
      Autograd.backward(values.sum(), 1.0 / labels.length);
      NDList grads = new NDList();
      for (NDArray leaf : leaves) {
        grads.add(Autograd.gradientCopy(leaf, scope));
      }
      return grads;
    }
  }
}
