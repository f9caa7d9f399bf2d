package dev.ascribe.core.grad;

import dev.ascribe.core.task.ModelOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Network;

/**
 * Per-example gradients ∇θ f(z_i; θ) for a batch, as rows of a (B, d) matrix in the flat parameter
 * order of {@link dev.ascribe.core.model.Architecture}. Dropout is always off.
 *
 * <p>Two ways to compute them, which agree to rounding:
 *
 * <ul>
 *   <li>{@link Method#LINEAR_PROBES} (the default): one forward and one backward pass for the whole
 *       batch capture each linear layer's output gradient δ and input a; the weight gradient of
 *       example i is the outer product δ_i a_iᵀ, its bias gradient δ_i.
 *   <li>{@link Method#BACKWARD_LOOP}: one backward pass per example through leaf copies of the
 *       parameters: the textbook route, kept as the reference and the benchmark baseline.
 * </ul>
 */
public final class PerExampleGradients {
  /** How per-example gradients are computed. */
  public enum Method {
    LINEAR_PROBES,
    BACKWARD_LOOP
  }

  private PerExampleGradients() {}

  /**
   * Per-example gradients by {@link Method#LINEAR_PROBES}.
   *
   * @param x inputs, shape (B, inputDim); the result lands in its manager
   * @param labels class of each row, length B
   * @return shape (B, d), rows = examples
   */
  public static NDArray compute(Network net, NDArray x, int[] labels, ModelOutput output) {
    return compute(Method.LINEAR_PROBES, net, x, labels, output);
  }

  /** Per-example gradients by the given method; see {@link #compute(Network, NDArray, int[], ModelOutput)}. */
  public static NDArray compute(
      Method method, Network net, NDArray x, int[] labels, ModelOutput output) {
    if (x.getShape().get(0) != labels.length) {
      throw new IllegalArgumentException(
          "batch has " + x.getShape().get(0) + " rows but " + labels.length + " labels");
    }
    return method == Method.LINEAR_PROBES
        ? byProbes(net, x, labels, output)
        : byLoop(net, x, labels, output);
  }

  private static NDArray byProbes(Network net, NDArray x, int[] labels, ModelOutput output) {
    return fromBackprop(Backprop.run(net, x, labels, output, DropoutMasks.NONE, 1.0));
  }

  /**
   * Per-example gradients from a finished {@link Backprop} pass of Σ_i f_i (scale 1): for every
   * linear layer, the outer products δ_i a_iᵀ then δ_i. Shape (B, d), in the pass's manager.
   */
  public static NDArray fromBackprop(Backprop bp) {
    NDList pieces = new NDList();
    long batch = bp.values().getShape().get(0);
    for (int l = 0; l < bp.deltas().length; l++) {
      NDArray delta = bp.deltas()[l];
      NDArray input = bp.trace().inputs()[l];
      NDArray outer = delta.expandDims(2).batchMatMul(input.expandDims(1));
      pieces.add(outer.reshape(batch, -1));
      pieces.add(delta);
    }
    return NDArrays.concatColumns(pieces);
  }

  private static NDArray byLoop(Network net, NDArray x, int[] labels, ModelOutput output) {
    NDManager scope = x.getManager();
    NDList leaves = new NDList();
    for (NDArray p : net.parameters()) {
      NDArray leaf = p.duplicate();
      leaf.attach(scope);
      leaf.setRequiresGradient(true);
      leaves.add(leaf);
    }
    NDList rows = new NDList();
    try (Autograd.Scope grad = Autograd.gradMode(true)) {
      for (int i = 0; i < labels.length; i++) {
        NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
        ForwardTrace trace = net.forward(xi, leaves, DropoutMasks.NONE, false);
        NDArray value = output.perExample(trace.logits(), Backprop.oneHot(scope,
            new int[] {labels[i]}, net.architecture().numClasses(), trace.logits().getDataType()));
        Autograd.backward(value.sum());
        NDList grads = new NDList();
        for (NDArray leaf : leaves) {
          grads.add(leaf.getGradient().duplicate().reshape(1, -1));
          Autograd.zeroGradient(leaf);
        }
        rows.add(NDArrays.concatColumns(grads));
      }
    }
    return NDArrays.concatRows(rows);
  }
}
