package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ascribe.core.model.Model;

/**
 * The only place that talks to PyTorch's autograd directly.
 *
 * <p>DJL's {@code GradientCollector} (and so its {@code Trainer}) is JVM-wide: a second one open in
 * another thread fails, so two Spark tasks in one executor could not both train or differentiate.
 * Grad mode, however, is per thread. We turn it on for the current thread, call backward ourselves
 * and read gradients from leaf tensors (PLATFORM.md).
 */
public final class Autograd {
  private Autograd() {}

  /** A scope with grad mode set as asked on this thread; the previous mode returns on close. */
  public static Scope gradMode(boolean enabled) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
    return () -> JniUtils.setGradMode(previous);
  }

  /** Back-propagates from a scalar; gradients accumulate into the leaves that require them. */
  public static void backward(NDArray scalar) {
    backward(scalar, 1.0);
  }

  /**
   * Back-propagates from {@code scale · scalar}: the gradients of the scaled scalar accumulate
   * into the leaves that require them.
   *
   * <p>Scale here, never with {@code scalar.mul(scale)} under grad mode: DJL's {@code
   * mul(Number)} wraps the number in a tensor over a Java direct buffer and closes it at once,
   * while autograd keeps that tensor for the backward pass; once the garbage collector frees the
   * buffer, backward reads freed memory and the gradient comes out wrong (seen as training that
   * changed with GC timing). The seed gradient {@code scale} gives the same values, computed
   * before anything can be freed.
   */
  public static void backward(NDArray scalar, double scale) {
    if (scalar.getShape().size() != 1) {
      throw new IllegalArgumentException(
          "backward needs a scalar: got shape " + scalar.getShape());
    }
    try (NDArray seed = scalar.onesLike()) {
      if (scale != 1.0) {
        seed.muli(scale); // in place on a tensor outside any graph: nothing keeps the number
      }
      JniUtils.backward(pt(scalar), pt(seed), false, false);
    }
  }

  /** Sets a leaf's accumulated gradient to zero (PyTorch accumulates across backward calls). */
  public static void zeroGradient(NDArray leaf) {
    JniUtils.zeroGrad(pt(leaf));
  }

  private static PtNDArray pt(NDArray array) {
    if (array instanceof PtNDArray p) {
      return p;
    }
    throw new IllegalStateException(
        "gradients need the PyTorch engine: got an array of engine " + array.getManager().getEngine()
            .getEngineName());
  }

  /** An {@link AutoCloseable} that does not throw. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The parameter arrays to differentiate {@code net} through, in {@link Model#parameters()}
   * order: fresh {@link #leafCopies} in {@code scope}, or, for a model whose forward runs only over
   * its own arrays ({@link Model#ownsForwardParameters()}), those arrays with their accumulated
   * gradients zeroed.
   */
  public static NDList differentiable(Model net, NDManager scope) {
    if (!net.ownsForwardParameters()) {
      return leafCopies(net.parameters(), scope);
    }
    NDList own = net.parameters();
    for (NDArray p : own) {
      zeroGradient(p);
    }
    return own;
  }

  /**
   * A copy of {@code leaf}'s accumulated gradient in {@code scope}. The gradient view DJL hands
   * out lands in the leaf's manager (a model's own, for a model that owns its parameters); it is
   * closed here so repeated reads do not pile up there.
   */
  public static NDArray gradientCopy(NDArray leaf, NDManager scope) {
    try (NDArray view = leaf.getGradient()) {
      NDArray copy = view.duplicate();
      copy.attach(scope);
      return copy;
    }
  }

  /**
   * Copies of {@code params} in {@code scope} that require gradients: leaves of a fresh graph, so
   * a backward pass through them neither touches nor accumulates into the model's own arrays.
   */
  public static NDList leafCopies(NDList params, NDManager scope) {
    NDList leaves = new NDList();
    for (NDArray p : params) {
      NDArray leaf = p.duplicate();
      leaf.attach(scope);
      leaf.setRequiresGradient(true);
      leaves.add(leaf);
    }
    return leaves;
  }
}
