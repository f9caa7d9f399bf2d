package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model is, as plain values (no native memory, so Spark tasks can receive it): its kind,
 * input and output widths, the layout of its flat parameter vector, and the layers a forward pass
 * can tap. {@link #open} and {@link #initialize} make a live {@link Model}.
 *
 * <p>The flat parameter vector is the order every per-example gradient, projection and stored
 * feature uses: the {@link #layout()} blocks one after another.
 */
public interface ModelSpec extends Serializable {
  /** The kind, which {@link ModelKind#fromMap} dispatches on. */
  ModelKind kind();

  /** A short name such as "lr" or "mlp-128-64". */
  String name();

  /** Width of an input row. */
  int inputDim();

  /** Number of output classes (logits per row). */
  int numClasses();

  /** Total number of parameters d. */
  int numParameters();

  /** Dropout rate applied in training (0 for none); attribution always runs with dropout off. */
  double dropout();

  /** Length of the model's non-parameter state ({@link Model#stateAsDouble()}); 0 by default. */
  default int stateSize() {
    return 0;
  }

  /** The named parameter arrays in flat order, tiling [0, d). */
  List<ParameterBlock> layout();

  /** The layers whose (a, δ) a forward pass can tap, in tap order. */
  List<TappedLayer> tappedLayers();

  /** A JSON-friendly description (model.json and provenance) that {@link ModelKind#fromMap} reads. */
  Map<String, Object> toMap();

  /** A model of this shape with unspecified parameters of type {@code type}, in a sub-manager. */
  Model open(NDManager manager, DataType type);

  /** A float32 model with this kind's seeded initialization, in a sub-manager of {@code manager}. */
  Model initialize(NDManager manager, long seed);

  /**
   * For a model that reads token ids (a sequence model such as {@link GptSpec}): the vocabulary
   * size V, so every input value must be a whole number in [0, V); 0 (the default) for a model
   * over real-valued inputs. Input tables are checked against it before any work starts.
   */
  default int tokenVocabulary() {
    return 0;
  }

  /**
   * Indices into {@link #layout()} of the blocks whose per-example gradients a forward pass with
   * probes yields through {@link ForwardTrace#blockProbes()} (normalization scales and shifts,
   * position embeddings: parameters that are not a tapped layer's weight or bias). Empty by
   * default.
   */
  default List<Integer> probedBlocks() {
    return List.of();
  }

  /**
   * Whether the tapped layers, each with a bias, hold every parameter: what the methods built on
   * the Kronecker structure of (a, δ) need (the factorized projection, LoGra, K-FAC, RPS).
   */
  default boolean tapsCoverParameters() {
    if (!probedBlocks().isEmpty()
        || !tappedLayers().stream().allMatch(TappedLayer::hasBias)) {
      return false;
    }
    return coveredByOnePass();
  }

  /**
   * Whether one batched backward pass yields every per-example gradient: the tapped layers'
   * weights and biases and the probed blocks tile the parameters (see the grad package's {@code
   * PerExampleGradients}).
   */
  default boolean onePassGradients() {
    return coveredByOnePass();
  }

  private boolean coveredByOnePass() {
    // Every layout block must be some tapped layer's weight (out x in) or bias (out), or probed.
    Map<Integer, Integer> coveredSizes = new HashMap<>();
    for (TappedLayer t : tappedLayers()) {
      coveredSizes.put(t.weightOffset(), t.out() * t.in());
      if (t.hasBias()) {
        coveredSizes.put(t.biasOffset(), t.out());
      }
    }
    for (int j : probedBlocks()) {
      ParameterBlock b = layout().get(j);
      coveredSizes.put(b.offset(), b.size());
    }
    for (ParameterBlock b : layout()) {
      if (!Integer.valueOf(b.size()).equals(coveredSizes.get(b.offset()))) {
        return false;
      }
    }
    return true;
  }
}
