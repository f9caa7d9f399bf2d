package dev.ascribe.core.precondition;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.project.CounterRandom;
import dev.ascribe.core.task.ModelOutputs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The passes over training rows that fit the Kronecker-factored curvature of one checkpoint: a
 * backward pass of each example's cross-entropy per batch, at the labels {@link KfacOptions} asks
 * for, fed to a {@link KroneckerFactorFit} (pass one) or an {@link EigenCorrectionFit} (pass two).
 * The in-memory path runs them over the whole training set ({@link #fit}); Spark runs them per
 * partition and merges the fits in key order, with the same code.
 */
public final class KfacPasses {
  private KfacPasses() {}

  /**
   * Accumulates backward passes of {@code rows} of {@code data} under checkpoint {@code c} into
   * {@code fit}, {@code batchSize} rows at a time.
   *
   * @return {@code fit}
   */
  public static <F extends PartitionFit<Backprop, F, ?>> F run(F fit, Checkpoint checkpoint,
      int c, Dataset data, int[] rows, KfacOptions options, int batchSize) {
    try (NDManager manager = dev.ascribe.core.model.ComputeDevice.manager();
        Model net = checkpoint.open(manager)) {
      for (int from = 0; from < rows.length; from += batchSize) {
        int[] batch = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + batchSize));
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = Inputs.features(data, batch, scope);
          int[] labels = options.labels() == KfacOptions.FisherLabels.TRUE ? data.labels(batch)
              : sampledLabels(net, x, ids(data, batch), options.seed(), c);
          fit.accumulate(Backprop.run(net, x, labels, ModelOutputs.crossEntropy(),
              DropoutMasks.NONE, 1.0));
        }
      }
    }
    return fit;
  }

  /**
   * Labels drawn from the model's own predictive distribution, y_i ~ softmax(logits_i), by the
   * inverse distribution function at u_i = uniform(bits(key(seed, c), id_i)) ({@link
   * CounterRandom}): a pure function of (seed, checkpoint, example id), so both passes and every
   * partitioning draw the same labels.
   */
  static int[] sampledLabels(Model net, NDArray x, long[] ids, long seed, int c) {
    float[] logits;
    try (Autograd.Scope noGrad = Autograd.gradMode(false)) {
      logits = net.logits(x).toType(DataType.FLOAT32, false).toFloatArray();
    }
    int classes = net.spec().numClasses();
    long key = CounterRandom.key(seed, c);
    int[] labels = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, logits[i * classes + k]);
      }
      double[] cumulative = new double[classes];
      double total = 0;
      for (int k = 0; k < classes; k++) {
        total += Math.exp(logits[i * classes + k] - max);
        cumulative[k] = total;
      }
      double u = CounterRandom.uniform(CounterRandom.bits(key, ids[i])) * total;
      int label = 0;
      while (label < classes - 1 && cumulative[label] <= u) {
        label++;
      }
      labels[i] = label;
    }
    return labels;
  }

  private static long[] ids(Dataset data, int[] rows) {
    long[] ids = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      ids[i] = data.id(rows[i]);
    }
    return ids;
  }

  /**
   * Checks that K-FAC can precondition models of this checkpoint: its tapped layers must hold
   * every parameter (each parameter belongs to one Kronecker block).
   */
  public static void requireTapsCoverParameters(Checkpoint checkpoint, String method) {
    if (!checkpoint.spec().tapsCoverParameters()) {
      throw new IllegalArgumentException(method + " needs a model whose tapped layers hold every"
          + " parameter: model " + checkpoint.spec().name() + " has parameters outside them");
    }
  }

  /**
   * The in-memory fit of checkpoint {@code c} on every row of {@code train}: pass one, the
   * factors' eigendecompositions, and for EK-FAC pass two.
   */
  public static KfacPreconditioner fit(Checkpoint checkpoint, int c, Dataset train,
      KfacOptions options, LambdaSpec lambda, int batchSize) {
    requireTapsCoverParameters(checkpoint, options.variant().method());
    int[] rows = Inputs.range(0, train.size());
    List<dev.ascribe.core.model.TappedLayer> layers = checkpoint.spec().tappedLayers();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    KroneckerFactorFit sums = run(new KroneckerFactorFit(layers), checkpoint, c, train, rows,
        options, batchSize);
    t = lap(seconds, FitStep.FACTORS, t);
    KroneckerFactors factors = sums.finish();
    t = lap(seconds, FitStep.EIGENDECOMPOSITION, t);
    List<double[]> corrections = null;
    if (options.variant() == KfacOptions.Variant.EKFAC) {
      corrections = run(new EigenCorrectionFit(factors), checkpoint, c, train, rows, options,
          batchSize).finish();
      lap(seconds, FitStep.EIGENVALUE_CORRECTION, t);
    }
    return KfacPreconditioner.of(factors, corrections, lambda,
        checkpoint.spec().numParameters(), seconds);
  }

  /** The timed steps of a fit, as provenance names them. */
  public enum FitStep {
    /** Pass one: the factor sums. */
    FACTORS,
    /** The factors' eigendecompositions on the driver. */
    EIGENDECOMPOSITION,
    /** Pass two (EK-FAC): the eigenvalue correction sums. */
    EIGENVALUE_CORRECTION;

    /** The provenance key, e.g. {@code eigenvalue_correction}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Records the seconds since {@code start} under {@code step}; returns now. */
  public static long lap(Map<String, Double> seconds, FitStep step, long start) {
    long now = System.nanoTime();
    seconds.put(step.key(), (now - start) / 1e9);
    return now;
  }
}
