package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.grad.Autograd;
import java.util.function.Function;

/**
 * Checks a float64 function's autograd gradients against central finite differences: for a
 * fixed random weighting r of its outputs, the gradient of Σ r ⊙ f(inputs) with respect to every
 * entry of every input. Tests of the layers use it as the definition of their derivatives.
 */
final class FiniteDifferences {
  private static final double STEP = 1e-6;

  private FiniteDifferences() {}

  /**
   * @param f the function, run on arrays of {@code m}'s sub-managers
   * @param inputs float64 arrays, each differentiated
   * @param tolerance on |autograd - finite difference| / max(1, |finite difference|)
   */
  static void check(NDManager m, Function<NDList, NDArray> f, NDList inputs, double tolerance) {
    NDArray weights;
    try (NDManager probe = m.newSubManager()) {
      NDArray out = f.apply(inputs);
      weights = m.randomUniform(-1, 1, out.getShape()).toType(DataType.FLOAT64, false);
    }
    double[][] analytic = new double[inputs.size()][];
    try (NDManager scope = m.newSubManager(); Autograd.Scope grad = Autograd.gradMode(true)) {
      NDList leaves = Autograd.leafCopies(inputs, scope);
      Autograd.backward(f.apply(leaves).mul(weights).sum());
      for (int k = 0; k < leaves.size(); k++) {
        analytic[k] = leaves.get(k).getGradient().toDoubleArray();
      }
    }
    double largest = 0;
    for (int k = 0; k < inputs.size(); k++) {
      double[] values = inputs.get(k).toDoubleArray();
      for (int j = 0; j < values.length; j++) {
        double fd = (value(m, f, inputs, weights, k, values, j, STEP)
            - value(m, f, inputs, weights, k, values, j, -STEP)) / (2 * STEP);
        assertEquals(fd, analytic[k][j], tolerance * Math.max(1, Math.abs(fd)),
            "input " + k + " entry " + j);
        largest = Math.max(largest, Math.abs(fd));
      }
    }
    assertTrue(largest > 1e-3, "the derivatives checked are not all zero");
  }

  private static double value(NDManager m, Function<NDList, NDArray> f, NDList inputs,
      NDArray weights, int k, double[] values, int j, double step) {
    try (NDManager scope = m.newSubManager(); Autograd.Scope noGrad = Autograd.gradMode(false)) {
      NDList moved = new NDList();
      for (int i = 0; i < inputs.size(); i++) {
        NDArray a = inputs.get(i).duplicate();
        a.attach(scope);
        if (i == k) {
          double[] shifted = values.clone();
          shifted[j] += step;
          a = scope.create(shifted, a.getShape());
        }
        moved.add(a);
      }
      return f.apply(moved).mul(weights).sum().getDouble();
    }
  }
}
