package dev.ascribe.core.feature;

import dev.ascribe.core.model.Checkpoint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import ai.djl.nn.Activation;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;

/**
 * Step one of every inner-product method: per-example gradients of a model output, multiplied by a
 * sign, mapped to features by a {@link GradientMap} (projected whole gradients, or per-layer
 * Kronecker projections), and copied out of native memory, batch by batch. The same code
 * featurizes a whole dataset in memory and one Spark partition on an executor.
 *
 * <p>Open one per checkpoint and thread (it holds the network and the projection's cached blocks in
 * native memory), featurize as many rows as needed, then close it.
 */
public final class Featurizer implements AutoCloseable {
  private final int model;
  private final NDManager manager;
  private final Model net;
  private final GradientMap.Session features;
  private final int dim;
  private final int batchSize;
  /** Nanoseconds spent per phase so far, in {@link Phase} order (a profile for bench grads). */
  private final long[] phaseNanos = new long[Phase.values().length];

  /** The phases of featurizing a batch, timed on every batch ({@link #phaseSeconds}). */
  public enum Phase {
    /** Copying the batch's inputs into native memory. */
    INPUTS,
    /** The forward and backward pass (taps, or the graph for the backward loop). */
    FORWARD_BACKWARD,
    /** The feature map: per-example gradients and their projection. */
    FEATURE_MAP,
    /** Sign, copy to the Java heap, and the q values. */
    COPY_OUT
  }

  /**
   * @param model index recorded in the features
   * @param checkpoint parameters to differentiate
   * @param map how gradients become features for this checkpoint
   * @param batchSize examples per gradient batch
   */
  public Featurizer(int model, Checkpoint checkpoint, GradientMap map, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
    this.manager = dev.ascribe.core.model.ComputeDevice.manager();
    this.net = checkpoint.open(manager);
    this.features = map.open(manager);
    this.dim = map.outputDim();
  }

  /** Output dimension k. */
  public int dim() {
    return dim;
  }

  /**
   * Features sign · P ∇f(z_i) of the given rows of {@code data}.
   *
   * @param output the differentiated function f
   * @param sign +1 (training side: ∇ℓ or ∇margin) or -1 (query side: -∇f)
   */
  public FeatureMatrix featurize(Dataset data, int[] rows, ModelOutput output, float sign) {
    int k = dim();
    float[] phi = new float[rows.length * k];
    float[] q = new float[rows.length];
    for (int from = 0; from < rows.length; from += batchSize) {
      int[] batch = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length,
          from + batchSize));
      try (NDManager scope = manager.newSubManager()) {
        long t0 = System.nanoTime();
        NDArray x = Inputs.features(data, batch, scope);
        int[] labels = data.labels(batch);
        long t1 = System.nanoTime();
        Backprop bp = Backprop.run(net, x, labels, output, DropoutMasks.NONE, 1.0);
        long t2 = System.nanoTime();
        NDArray projected = features.apply(bp);
        long t3 = System.nanoTime();
        phaseNanos[Phase.INPUTS.ordinal()] += t1 - t0;
        phaseNanos[Phase.FORWARD_BACKWARD.ordinal()] += t2 - t1;
        phaseNanos[Phase.FEATURE_MAP.ordinal()] += t3 - t2;
        if (sign != 1f) {
          projected = projected.mul(sign);
        }
        System.arraycopy(projected.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
            .toFloatArray(), 0, phi, from * k, batch.length * k);
        NDArray oneHot = net.targets(x, labels, bp.logits().getDataType());
        // q = 1 - p_y = sigmoid(-margin): exact even when p_y rounds to 1 in float32. For a
        // sequence model the margin is the mean over positions, so q = sigmoid(-mean margin).
        NDArray margin = ModelOutputs.margin().perExample(bp.logits().stopGradient(),
            oneHot);
        float[] qBatch = Activation.sigmoid(margin.neg())
            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(qBatch, 0, q, from, batch.length);
        phaseNanos[Phase.COPY_OUT.ordinal()] += System.nanoTime() - t3;
      }
    }
    long[] ids = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      ids[i] = data.id(rows[i]);
    }
    return new FeatureMatrix(model, ids, data.labels(rows), phi, q, k);
  }

  /** Seconds spent in each phase since this featurizer was opened (a cheap, always-on profile). */
  public java.util.Map<Phase, Double> phaseSeconds() {
    java.util.Map<Phase, Double> seconds = new java.util.EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      seconds.put(p, phaseNanos[p.ordinal()] / 1e9);
    }
    return seconds;
  }

  /** Features of every row of {@code data}. */
  public FeatureMatrix featurize(Dataset data, ModelOutput output, float sign) {
    return featurize(data, Inputs.range(0, data.size()), output, sign);
  }

  @Override
  public void close() {
    features.close();
    manager.close();
  }
}
