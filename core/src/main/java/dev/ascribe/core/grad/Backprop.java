package dev.ascribe.core.grad;

import dev.ascribe.core.task.ModelOutput;
import ai.djl.ndarray.NDArray;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Tap;
import java.util.ArrayList;
import java.util.List;

/**
 * One forward and one backward pass that yield every tapped layer's input a and output gradient δ
 * for a batch, for any {@link Model}. Since each example's output depends only on its own row, the
 * gradient of the SUM of the outputs with respect to a zero probe added to a layer's output is, row
 * by row, each example's own δ: every per-example and batch gradient of a tapped layer follows from
 * (a, δ) without one backward pass per example.
 *
 * @param source what was differentiated (for gradients the taps do not cover)
 * @param logits model outputs, shape (B, classes)
 * @param layers one {@link LayerGradient} per {@link dev.ascribe.core.model.ModelSpec#tappedLayers()
 *     tapped layer}, in that order
 * @param blocks one per {@link dev.ascribe.core.model.ModelSpec#probedBlocks() probed block}, in
 *     that order: each example's gradient of the block, shape (B, block size)
 * @param values the per-example outputs f_i, shape (B)
 */
public record Backprop(Source source, NDArray logits, List<LayerGradient> layers,
    List<NDArray> blocks, NDArray values) {

  public Backprop {
    layers = List.copyOf(layers);
    blocks = List.copyOf(blocks);
  }

  /** A pass over a model without probed blocks. */
  public Backprop(Source source, NDArray logits, List<LayerGradient> layers, NDArray values) {
    this(source, logits, layers, List.of(), values);
  }

  /**
   * The inputs of a pass.
   *
   * @param model the model differentiated
   * @param x inputs, shape (B, inputDim)
   * @param labels class of each row, length B
   * @param output the function f differentiated
   */
  public record Source(Model model, NDArray x, int[] labels, ModelOutput output) {}

  /** Tapped layer {@code l}'s (a, δ). */
  public LayerGradient layer(int l) {
    return layers.get(l);
  }

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
      Model net, NDArray x, int[] labels, ModelOutput output, DropoutMasks masks, double scale) {
    try (Autograd.Scope grad = Autograd.gradMode(true)) {
      ForwardTrace trace = net.forward(x, net.parameters(), masks, true);
      NDArray values = output.perExample(trace.logits(),
          net.targets(x, labels, trace.logits().getDataType()));
      Autograd.backward(values.sum(), scale);
      List<LayerGradient> layers = new ArrayList<>();
      for (Tap tap : trace.taps()) {
        layers.add(new LayerGradient(tap.input(), tap.probe().getGradient().stopGradient()));
      }
      long batch = labels.length;
      List<NDArray> blocks = new ArrayList<>();
      for (NDArray probe : trace.blockProbes()) {
        blocks.add(probe.getGradient().stopGradient().reshape(batch, -1));
      }
      return new Backprop(new Source(net, x, labels, output), trace.logits(), layers, blocks,
          values.stopGradient());
    }
  }
}
