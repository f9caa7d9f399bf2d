package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A model with its parameters in native memory: the live parameter arrays in the flat order of
 * its {@link ModelSpec}, and one functional forward pass over any parameter list of that shape
 * (the live arrays, or leaf copies for a per-example backward pass), which can apply dropout masks
 * and taps every {@link TappedLayer}.
 *
 * <p>A model owns its own {@link NDManager}; close it to free the parameters. It is meant to be
 * used by one thread at a time (one model per Spark task or trainer thread).
 */
public interface Model extends AutoCloseable {
  /** What this model is. */
  ModelSpec spec();

  /** The manager holding the parameters. */
  NDManager manager();

  /** The parameters' data type. */
  DataType dataType();

  /** The live parameter arrays, one per {@link ModelSpec#layout()} block, in that order. */
  NDList parameters();

  /**
   * Whether {@link #forward} runs only over this model's own {@link #parameters()} (a compiled
   * module that holds them, such as TorchScript) rather than over any parameter list of their
   * shapes. Such a model is differentiated through its own arrays, whose gradients accumulate
   * across backward passes; the grad package's {@code Autograd.differentiable} handles both.
   */
  default boolean ownsForwardParameters() {
    return false;
  }

  /** All parameters as one flat vector in the spec's order. */
  double[] parametersAsDouble();

  /** Overwrites all parameters from one flat vector in the spec's order. */
  void setParameters(double[] theta);

  /**
   * The model's state that is not a parameter, flat (batch normalization's running statistics):
   * updated by training steps, used by every other pass, saved, copied and carried by a {@link
   * Checkpoint}, never differentiated. Length {@link ModelSpec#stateSize()}; empty by default.
   */
  default double[] stateAsDouble() {
    return new double[0];
  }

  /** Overwrites the state from a vector of length {@link ModelSpec#stateSize()}. */
  default void setState(double[] state) {
    if (state.length != 0) {
      throw new IllegalArgumentException("state vector has " + state.length + " values: model "
          + spec().name() + " has no state");
    }
  }

  /** Writes the parameters (the kind's own file format, read back by {@link #load}). */
  void save(OutputStream out) throws IOException;

  /** Overwrites the parameters from a stream written by {@link #save} for the same spec. */
  void load(InputStream in) throws IOException;

  /** A copy whose parameters have type {@code type} (float64 for exact tests). */
  Model copy(DataType type);

  /**
   * The forward pass, written once for every use: training, per-example gradients and outputs.
   *
   * @param x inputs, shape (B, inputDim); results land in its manager
   * @param params parameters in {@link #parameters()} order (the live ones, or leaf copies)
   * @param masks dropout masks ({@link DropoutMasks#NONE} for inference)
   * @param withProbes add a zero probe requiring gradients to every tapped layer's output, so a
   *     backward pass yields its δ (the taps' inputs are recorded either way)
   */
  ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes);

  /**
   * The one-hot targets the logits of {@code x} are measured against, same shape as the logits,
   * in {@code x}'s manager: by default the labels one-hot, (B, classes). A sequence model that
   * predicts every next token returns its shifted inputs one-hot, (B, T, classes), and ignores
   * the labels. Every loss, output, accuracy and ground-truth value goes through here.
   *
   * @param x inputs, shape (B, inputDim)
   * @param labels class of each row, length B
   */
  default NDArray targets(NDArray x, int[] labels, DataType type) {
    return Targets.oneHot(x.getManager(), labels, spec().numClasses(), type);
  }

  /** Logits in inference mode (dropout off), shape (B, classes), in {@code x}'s manager. */
  default NDArray logits(NDArray x) {
    return forward(x, parameters(), DropoutMasks.NONE, false).logits();
  }

  @Override
  void close();
}
