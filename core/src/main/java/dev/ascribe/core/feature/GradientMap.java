package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.grad.Backprop;
import java.util.Map;

/**
 * How a batch's per-example gradients become feature rows, the first step of the template: whole
 * gradients optionally projected ({@link WholeGradients}), or per-layer Kronecker projections
 * ({@link KroneckerGradients}, LoGra and RPS). {@link #open} makes the native-memory session one
 * thread uses. Built by {@link FeatureMaps} where it is used (on executors from the method spec),
 * never shipped.
 */
public interface GradientMap {
  /** k, the width of every feature row. */
  int outputDim();

  /** Opens a session whose native memory lives in a sub-manager of {@code manager}. */
  Session open(NDManager manager);

  /** What defines the map (for provenance). */
  Map<String, Object> describe();

  /** One thread's use of the map. */
  interface Session extends AutoCloseable {
    /**
     * Feature rows of one finished backward pass of Σ_i f_i (scale 1).
     *
     * @return shape (B, k), in the pass's manager
     */
    NDArray apply(Backprop pass);

    @Override
    void close();
  }
}
