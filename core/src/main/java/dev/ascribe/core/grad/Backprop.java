package dev.ascribe.core.grad;

import dev.ascribe.core.task.ModelOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Network;

/**
 * One forward and one backward pass that yield every linear layer's output gradient δ_l and input
 * a_l for a batch. Since each example's output depends only on its own row, the gradient of the
 * SUM of the outputs with respect to a zero probe added to a layer's output is, row by row, each
 * example's own δ: every per-example and batch gradient of a linear layer follows from (δ_l, a_l)
 * without one backward pass per example.
 *
 * @param trace the forward pass (inputs a_l, logits)
 * @param deltas {@code deltas[l]} = ∂(scale · Σ_i f_i)/∂z_l, shape (B, out_l)
 * @param values the per-example outputs f_i, shape (B)
 */
public record Backprop(ForwardTrace trace, NDArray[] deltas, NDArray values) {

  /**
   * Runs the passes on {@code x}'s manager (use a per-batch sub-manager).
   *
   * @param x inputs, shape (B, inputDim)
   * @param labels class of each row, length B
   * @param output the function f differentiated
   * @param scale multiplies Σ_i f_i before differentiation (1 for per-example gradients, 1/B for the
   *     gradient of a batch mean)
   */
  public static Backprop run(
      Network net, NDArray x, int[] labels, ModelOutput output, DropoutMasks masks, double scale) {
    try (Autograd.Scope grad = Autograd.gradMode(true)) {
      ForwardTrace trace = net.forward(x, net.parameters(), masks, true);
      NDArray values = output.perExample(trace.logits(), oneHot(x.getManager(), labels,
          net.architecture().numClasses(), trace.logits().getDataType()));
      Autograd.backward(values.sum(), scale);
      NDArray[] deltas = new NDArray[trace.probes().length];
      for (int l = 0; l < deltas.length; l++) {
        deltas[l] = trace.probes()[l].getGradient().stopGradient();
      }
      return new Backprop(trace, deltas, values.stopGradient());
    }
  }

  /** Labels one-hot encoded, shape (B, classes). */
  public static NDArray oneHot(NDManager manager, int[] labels, int classes, DataType type) {
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label " + label + " is outside the model's classes [0, " + classes + ")");
      }
    }
    return manager.create(labels).oneHot(classes).toType(type, false);
  }
}
