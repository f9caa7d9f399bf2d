package dev.ascribe.core.precondition;

import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.linalg.Lapack;
import dev.ascribe.core.model.TappedLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The first pass of K-FAC (Martens and Grosse 2015; Grosse et al. 2023), as a {@link PartitionFit}
 * over backward passes of training batches: per tapped layer the sums Σ ã ãᵀ over examples and
 * positions and Σ δ δᵀ over examples and positions, finished into the factors
 *
 * <pre>
 *   A = (1/(n T)) Σ_i Σ_t ã_{i,t} ã_{i,t}ᵀ,   S = (1/n) Σ_i Σ_t δ_{i,t} δ_{i,t}ᵀ
 * </pre>
 *
 * (kronfluence's normalization for layers applied at T positions: A averages over positions, S
 * sums over them; T = 1 gives the textbook factors), and their eigendecompositions. δ is the output
 * gradient of each example's own loss, so A ⊗ S approximates the curvature of the mean loss.
 * Sums are in double (BLAS dsyrk), so another partitioning changes the factors by rounding only.
 */
public final class KroneckerFactorFit
    implements PartitionFit<Backprop, KroneckerFactorFit, KroneckerFactors> {
  private static final long serialVersionUID = 1L;

  private final List<TappedLayer> layers;
  private final double[][] inputSums;
  private final double[][] deltaSums;
  private final long[] positionRows;
  private long examples;

  /** An empty fit for the given tapped layers. */
  public KroneckerFactorFit(List<TappedLayer> layers) {
    this.layers = List.copyOf(layers);
    this.inputSums = new double[layers.size()][];
    this.deltaSums = new double[layers.size()][];
    this.positionRows = new long[layers.size()];
    for (int l = 0; l < layers.size(); l++) {
      int in = layers.get(l).in() + 1;
      int out = layers.get(l).out();
      inputSums[l] = new double[in * in];
      deltaSums[l] = new double[out * out];
    }
  }

  @Override
  public KroneckerFactorFit accumulate(Backprop pass) {
    for (int l = 0; l < layers.size(); l++) {
      TappedLayer layer = layers.get(l);
      LayerTaps taps = LayerTaps.of(layer, pass.layer(layer.index()));
      addUpper(inputSums[l], Lapack.gramUpper(taps.inputs(), taps.rows(), layer.in() + 1));
      addUpper(deltaSums[l], Lapack.gramUpper(taps.deltas(), taps.rows(), layer.out()));
      positionRows[l] += taps.rows();
      if (l == 0) {
        examples += taps.examples();
      }
    }
    return this;
  }

  private static void addUpper(double[] sum, double[] upper) {
    for (int j = 0; j < sum.length; j++) {
      sum[j] += upper[j];
    }
  }

  @Override
  public KroneckerFactorFit merge(KroneckerFactorFit other) {
    if (!other.layers.equals(layers)) {
      throw new IllegalArgumentException("cannot merge Kronecker factor fits of layers "
          + other.layers + " into fits of " + layers + ": every partition fits the same model");
    }
    for (int l = 0; l < layers.size(); l++) {
      addUpper(inputSums[l], other.inputSums[l]);
      addUpper(deltaSums[l], other.deltaSums[l]);
      positionRows[l] += other.positionRows[l];
    }
    examples += other.examples;
    return this;
  }

  /** Examples accumulated so far. */
  public long examples() {
    return examples;
  }

  /**
   * The factors' means and eigendecompositions (LAPACK), per layer.
   *
   * @throws IllegalArgumentException when no example was accumulated
   */
  @Override
  public KroneckerFactors finish() {
    if (examples == 0) {
      throw new IllegalArgumentException("Kronecker factor fit saw no training example:"
          + " expected at least one");
    }
    List<KroneckerFactors.Layer> out = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      TappedLayer layer = layers.get(l);
      double[] a = symmetricMean(inputSums[l], layer.in() + 1, positionRows[l]);
      double[] s = symmetricMean(deltaSums[l], layer.out(), examples);
      out.add(new KroneckerFactors.Layer(layer, a, s));
    }
    return new KroneckerFactors(out, examples);
  }

  /** The full symmetric matrix of an upper-triangle sum, divided by {@code count}. */
  private static double[] symmetricMean(double[] upper, int k, long count) {
    double[] m = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        double v = upper[i * k + j] / count;
        m[i * k + j] = v;
        m[j * k + i] = v;
      }
    }
    return m;
  }
}
