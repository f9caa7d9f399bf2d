package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;

/**
 * A projection session: applies a projection P (k x d) to batches of gradients, keeping whatever it
 * generated (cached blocks) in its own native memory until {@link #close()}.
 *
 * <pre>{@code
 * try (Projector p = projection.open(manager)) {
 *   NDArray features = p.project(grads); // (B, d) -> (B, k)
 * }
 * }</pre>
 *
 * <p>Not thread-safe: open one session per task or thread.
 */
public interface Projector extends AutoCloseable {
  /**
   * Projects a batch: {@code grads} is (B, d), one gradient per row, float32 or float64; returns
   * {@code grads P^T}, (B, k), same data type, in the manager of {@code grads}. The caller owns the
   * result. Nothing else is left in any manager.
   *
   * @throws IllegalArgumentException if {@code grads} is not 2-D, has d' != d columns, or is not
   *     float32/float64
   * @throws IllegalStateException if the session is closed
   */
  NDArray project(NDArray grads);

  /** d, the number of columns expected in each batch. */
  int inputDim();

  /** k, the number of columns of each result. */
  int outputDim();

  /** Bytes of native memory currently held by cached blocks. */
  long cachedBytes();

  /** Frees everything the session holds; further {@link #project} calls fail. Idempotent. */
  @Override
  void close();
}
