package dev.ascribe.core.precondition;

import dev.ascribe.core.linalg.EigenBasis;
import dev.ascribe.core.model.TappedLayer;
import java.io.Serializable;
import java.util.List;

/**
 * The fitted K-FAC factors of one checkpoint ({@link KroneckerFactorFit#finish()}): per tapped
 * layer A = E[ã ãᵀ] ((in + 1) x (in + 1), the bias as the last input) and S = E[δ δᵀ] (out x out)
 * with their eigendecompositions A = Q_A diag(d_A) Q_Aᵀ, S = Q_S diag(d_S) Q_Sᵀ. The layer's
 * curvature block, on its gradient G = δ ãᵀ (out x (in + 1), row-major), is S ⊗ A.
 *
 * @param layers one entry per tapped layer, in tap order
 * @param examples the training examples they were fitted on
 */
public record KroneckerFactors(List<Layer> layers, long examples) implements Serializable {

  public KroneckerFactors {
    layers = List.copyOf(layers);
  }

  /**
   * One layer's factors.
   *
   * @param layer where its weight and bias sit in the flat parameter vector
   * @param inputFactor A, row-major
   * @param outputFactor S, row-major
   * @param inputBasis A's eigendecomposition
   * @param outputBasis S's eigendecomposition
   */
  public record Layer(TappedLayer layer, double[] inputFactor, double[] outputFactor,
      EigenBasis inputBasis, EigenBasis outputBasis) implements Serializable {

    Layer(TappedLayer layer, double[] inputFactor, double[] outputFactor) {
      this(layer, inputFactor, outputFactor, EigenBasis.of(inputFactor, layer.in() + 1),
          EigenBasis.of(outputFactor, layer.out()));
    }

    /** Width of the augmented input, in + 1. */
    public int inputWidth() {
      return layer.in() + 1;
    }

    /**
     * K-FAC's eigenvalues of S ⊗ A, d_S[o] · d_A[j] at [o · (in + 1) + j], the factors'
     * eigenvalues clamped at 0 (rounding leaves tiny negative ones in a positive semi-definite
     * factor).
     */
    public double[] productEigenvalues() {
      int in = inputWidth();
      int out = layer.out();
      double[] values = new double[out * in];
      for (int o = 0; o < out; o++) {
        double s = Math.max(0, outputBasis.value(o));
        for (int j = 0; j < in; j++) {
          values[o * in + j] = s * Math.max(0, inputBasis.value(j));
        }
      }
      return values;
    }
  }
}
