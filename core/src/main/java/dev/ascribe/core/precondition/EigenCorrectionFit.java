package dev.ascribe.core.precondition;

import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.linalg.Lapack;
import java.util.ArrayList;
import java.util.List;

/**
 * The second pass of EK-FAC (George et al. 2018; Grosse et al. 2023), as a {@link PartitionFit}
 * over backward passes of training batches: in the Kronecker eigenbasis of the fitted factors,
 * the mean squared per-example gradient
 *
 * <pre>
 *   Λ = (1/n) Σ_i (Q_Sᵀ G_i Q_A)²  (elementwise),   G_i = Σ_t δ_{i,t} ã_{i,t}ᵀ
 * </pre>
 *
 * per tapped layer, out x (in + 1). For a layer applied once per example Q_Sᵀ G_i Q_A is the outer
 * product u_i v_iᵀ of u_i = Q_Sᵀ δ_i and v_i = Q_Aᵀ ã_i, so the sum is one product (U∘U)ᵀ(V∘V);
 * with positions each example's rotated gradient is formed first.
 */
public final class EigenCorrectionFit
    implements PartitionFit<Backprop, EigenCorrectionFit, List<double[]>> {
  private static final long serialVersionUID = 1L;

  // The bases are only needed where passes are accumulated; merged fits travel without them.
  private final transient KroneckerFactors factors;
  private final double[][] sums;
  private long examples;

  /** An empty fit in the eigenbases of {@code factors}. */
  public EigenCorrectionFit(KroneckerFactors factors) {
    this.factors = factors;
    this.sums = new double[factors.layers().size()][];
    for (int l = 0; l < sums.length; l++) {
      KroneckerFactors.Layer layer = factors.layers().get(l);
      sums[l] = new double[layer.layer().out() * layer.inputWidth()];
    }
  }

  @Override
  public EigenCorrectionFit accumulate(Backprop pass) {
    if (factors == null) {
      throw new IllegalStateException("eigenvalue correction fit has no eigenbases here: it was"
          + " deserialized, and accumulates only where it was made");
    }
    for (int l = 0; l < sums.length; l++) {
      KroneckerFactors.Layer layer = factors.layers().get(l);
      LayerTaps taps = LayerTaps.of(layer.layer(), pass.layer(layer.layer().index()));
      int in = layer.inputWidth();
      int out = layer.layer().out();
      double[] u = Lapack.product(taps.deltas(), taps.rows(), out, false,
          layer.outputBasis().vectors(), out, out, false);
      double[] v = Lapack.product(taps.inputs(), taps.rows(), in, false,
          layer.inputBasis().vectors(), in, in, false);
      double[] squared;
      if (taps.positions() == 1) {
        square(u);
        square(v);
        squared = Lapack.product(u, taps.rows(), out, true, v, taps.rows(), in, false);
      } else {
        squared = new double[out * in];
        int t = taps.positions();
        for (int i = 0; i < taps.examples(); i++) {
          double[] ui = java.util.Arrays.copyOfRange(u, i * t * out, (i + 1) * t * out);
          double[] vi = java.util.Arrays.copyOfRange(v, i * t * in, (i + 1) * t * in);
          double[] rotated = Lapack.product(ui, t, out, true, vi, t, in, false);
          for (int j = 0; j < rotated.length; j++) {
            squared[j] += rotated[j] * rotated[j];
          }
        }
      }
      for (int j = 0; j < squared.length; j++) {
        sums[l][j] += squared[j];
      }
      if (l == 0) {
        examples += taps.examples();
      }
    }
    return this;
  }

  private static void square(double[] x) {
    for (int j = 0; j < x.length; j++) {
      x[j] *= x[j];
    }
  }

  @Override
  public EigenCorrectionFit merge(EigenCorrectionFit other) {
    if (other.sums.length != sums.length) {
      throw new IllegalArgumentException("cannot merge eigenvalue corrections of "
          + other.sums.length + " layers into corrections of " + sums.length);
    }
    for (int l = 0; l < sums.length; l++) {
      for (int j = 0; j < sums[l].length; j++) {
        sums[l][j] += other.sums[l][j];
      }
    }
    examples += other.examples;
    return this;
  }

  /**
   * Λ per layer, out x (in + 1) row-major.
   *
   * @throws IllegalArgumentException when no example was accumulated
   */
  @Override
  public List<double[]> finish() {
    if (examples == 0) {
      throw new IllegalArgumentException("eigenvalue correction fit saw no training example:"
          + " expected at least one");
    }
    List<double[]> out = new ArrayList<>();
    for (double[] s : sums) {
      double[] mean = new double[s.length];
      for (int j = 0; j < s.length; j++) {
        mean[j] = s[j] / examples;
      }
      out.add(mean);
    }
    return out;
  }
}
