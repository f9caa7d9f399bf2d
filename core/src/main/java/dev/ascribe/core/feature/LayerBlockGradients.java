package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.model.ModelSpec;
import java.util.Map;

/**
 * The per-example gradient of the parameters from one tapped layer's weight to the end of the flat
 * vector, unprojected: the last-layer variant of explicit influence functions, whose Hessian block
 * has the same width ({@link FeatureMapKind#LAYERS}; {@link FeatureMaps} uses {@link
 * WholeGradients} when the block starts at layer 0).
 *
 * @param spec the model
 * @param firstLayer the first tapped layer kept
 */
public record LayerBlockGradients(ModelSpec spec, int firstLayer) implements GradientMap {

  private int offset() {
    return spec.tappedLayers().get(firstLayer).weightOffset();
  }

  @Override
  public int outputDim() {
    return spec.numParameters() - offset();
  }

  @Override
  public Session open(NDManager manager) {
    String columns = ":, " + offset() + ":";
    return new Session() {
      @Override
      public NDArray apply(dev.ascribe.core.grad.Backprop pass) {
        return PerExampleGradients.of(pass).get(columns);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Map<String, Object> describe() {
    return Map.of("kind", "layers", "first_layer", firstLayer);
  }
}
