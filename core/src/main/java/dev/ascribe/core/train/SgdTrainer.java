package dev.ascribe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.grad.BatchGradients;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Seeds;
import java.util.SplittableRandom;

/**
 * Minibatch training on the mean softmax cross-entropy with the options' {@link Optimizer}: SGD
 * with momentum, PyTorch's update rule (v ← μ v + g; θ ← θ − η v), or Adam.
 *
 * <p>Deterministic for a given seed: the epoch's shuffle and every dropout mask derive from
 * (seed, epoch, step) on the JVM. Thread-safe across trainers: each trainer works on its own network
 * with per-thread grad mode and never opens DJL's JVM-wide gradient collector, so several models can
 * train at once in one JVM (Spark tasks).
 *
 * <p>The batch gradient comes from {@link BatchGradients}: for models whose layer taps cover every
 * parameter, from the same {@link dev.ascribe.core.grad.Backprop} pass as per-example gradients
 * (for a linear layer with output gradients δ (B, out) of the mean loss and inputs a (B, in),
 * ∇W = δᵀ a and ∇b = Σ_i δ_i); otherwise by autograd.
 */
public final class SgdTrainer {
  private final TrainOptions options;

  public SgdTrainer(TrainOptions options) {
    this.options = options;
  }

  public TrainOptions options() {
    return options;
  }

  /** Called after each epoch (1-based), e.g. to save a checkpoint. */
  @FunctionalInterface
  public interface EpochListener {
    void epochEnd(int epoch, Model net) throws java.io.IOException;
  }

  /**
   * Trains {@code net} in place on all rows of {@code data}.
   *
   * @param seed drives shuffling and dropout (initialization is the network's own seed)
   */
  public void train(Model net, Dataset data, long seed, EpochListener listener)
      throws java.io.IOException {
    train(net, data, null, seed, listener);
  }

  /**
   * Trains on the rows of {@code data} not marked in {@code skipped}: batches are formed over ALL
   * rows in the seeded order and the skipped rows are then left out of their batch, so a
   * leave-some-out model sees the other examples in exactly the full model's order (DESIGN.md, LOO).
   *
   * @param skipped rows to leave out (length data.size()), or null for none
   */
  public void train(Model net, Dataset data, boolean[] skipped, long seed, EpochListener listener)
      throws java.io.IOException {
    if (skipped != null && skipped.length != data.size()) {
      throw new IllegalArgumentException(
          "skip mask has " + skipped.length + " entries: dataset " + data.name() + " has "
              + data.size() + " rows");
    }
    if (data.numClasses() != net.spec().numClasses()
        || data.dim() != net.spec().inputDim()) {
      throw new IllegalArgumentException(
          "dataset " + data + " does not fit model " + net.spec());
    }
    NDList params = net.parameters();
    // SGD's velocity, or Adam's first moment; Adam's second moment.
    NDList velocity = new NDList();
    NDList second = new NDList();
    int updates = 0;
    try (NDManager state = net.manager().newSubManager()) {
      for (NDArray p : params) {
        velocity.add(state.zeros(p.getShape(), p.getDataType()));
        if (options.optimizer() == Optimizer.ADAM) {
          second.add(state.zeros(p.getShape(), p.getDataType()));
        }
      }
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        int[] order = shuffle(data.size(), Seeds.derive(seed, epoch));
        int steps = (data.size() + options.batchSize() - 1) / options.batchSize();
        for (int step = 0; step < steps; step++) {
          int[] rows = batchRows(order, step, skipped);
          if (rows.length == 0) {
            continue;
          }
          DropoutMasks masks =
              DropoutMasks.seeded(net.spec().dropout(), Seeds.derive(seed, epoch, step));
          updates++;
          step(net, data, rows, masks, params, velocity, second, updates);
        }
        if (listener != null) {
          listener.epochEnd(epoch, net);
        }
      }
    }
  }

  private void step(Model net, Dataset data, int[] rows, DropoutMasks masks, NDList params,
      NDList velocity, NDList second, int t) {
    try (NDManager scope = net.manager().newSubManager()) {
      NDArray x = Inputs.features(data, rows, scope);
      NDList grads = BatchGradients.mean(net, x, data.labels(rows), ModelOutputs.crossEntropy(),
          masks);
      try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
        for (int k = 0; k < params.size(); k++) {
          if (options.optimizer() == Optimizer.ADAM) {
            adam(params.get(k), velocity.get(k), second.get(k), grads.get(k), t);
          } else {
            update(params.get(k), velocity.get(k), grads.get(k));
          }
        }
      }
    }
  }

  private void update(NDArray param, NDArray velocity, NDArray grad) {
    velocity.muli(options.momentum()).addi(grad);
    try (NDArray delta = velocity.mul(options.learningRate())) {
      param.subi(delta);
    }
  }

  /** Adam's step t (1-based) in PyTorch's order of operations, temporaries freed at once. */
  private void adam(NDArray param, NDArray m, NDArray s, NDArray grad, int t) {
    m.muli(Optimizer.BETA1).addi(grad.mul(1 - Optimizer.BETA1));
    try (NDArray g2 = grad.mul(grad)) {
      s.muli(Optimizer.BETA2).addi(g2.muli(1 - Optimizer.BETA2));
    }
    double c1 = 1 - Math.pow(Optimizer.BETA1, t);
    double c2 = 1 - Math.pow(Optimizer.BETA2, t);
    try (NDArray denom = s.sqrt().divi(Math.sqrt(c2)).addi(Optimizer.EPSILON);
        NDArray delta = m.div(denom).muli(options.learningRate() / c1)) {
      param.subi(delta);
    }
  }

  private int[] batchRows(int[] order, int step, boolean[] skipped) {
    int from = step * options.batchSize();
    int to = Math.min(order.length, from + options.batchSize());
    int count = 0;
    int[] rows = new int[to - from];
    for (int k = from; k < to; k++) {
      if (skipped == null || !skipped[order[k]]) {
        rows[count++] = order[k];
      }
    }
    return count == rows.length ? rows : java.util.Arrays.copyOf(rows, count);
  }

  /** A seeded Fisher–Yates permutation of 0..n-1. */
  static int[] shuffle(int n, long seed) {
    int[] order = Inputs.range(0, n);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
