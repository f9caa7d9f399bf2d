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
   * Whether the tapped layers hold every parameter, so that per-example gradients follow from taps
   * alone (see the grad package's {@code PerExampleGradients}).
   */
  default boolean tapsCoverParameters() {
    // Every layout block must be some tapped layer's weight (out x in) or bias (out).
    Map<Integer, Integer> tappedSizes = new HashMap<>();
    for (TappedLayer t : tappedLayers()) {
      tappedSizes.put(t.weightOffset(), t.out() * t.in());
      tappedSizes.put(t.biasOffset(), t.out());
    }
    for (ParameterBlock b : layout()) {
      if (!Integer.valueOf(b.size()).equals(tappedSizes.get(b.offset()))) {
        return false;
      }
    }
    return true;
  }
}
