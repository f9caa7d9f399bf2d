package dev.ascribe.core.precondition;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.model.TappedLayer;

/**
 * One tapped layer's (ã, δ) of a batch in double on the JVM, the form the Kronecker-factored
 * curvature fits take them in: ã is the input with a constant 1 appended (so the bias is the
 * weight of that column and the layer's gradient is δ ãᵀ), one row per example and position.
 *
 * @param examples B
 * @param positions T (1 for a layer applied once per example)
 * @param inputs (B·T) x (in + 1) row-major; rows of example i are i·T .. i·T + T - 1
 * @param deltas (B·T) x out row-major
 */
record LayerTaps(int examples, int positions, double[] inputs, double[] deltas) {

  /** Copies a layer's share of a backward pass out of native memory. */
  static LayerTaps of(TappedLayer layer, LayerGradient g) {
    long[] shape = g.input().getShape().getShape();
    int examples = (int) shape[0];
    int positions = g.hasPositions() ? (int) shape[1] : 1;
    double[] a = doubles(g.input());
    double[] delta = doubles(g.delta());
    int rows = examples * positions;
    int in = layer.in();
    double[] augmented = new double[rows * (in + 1)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * in, augmented, r * (in + 1), in);
      augmented[r * (in + 1) + in] = 1.0;
    }
    return new LayerTaps(examples, positions, augmented, delta);
  }

  private static double[] doubles(NDArray x) {
    return x.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  /** Rows of the (examples x positions) stack. */
  int rows() {
    return examples * positions;
  }
}
