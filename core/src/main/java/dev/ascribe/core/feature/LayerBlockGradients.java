package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.model.Architecture;
import java.util.Map;

/**
 * The per-example gradient of the parameters from one linear layer on, unprojected: the
 * last-layer variant of explicit influence functions, whose Hessian block has the same width
 * ({@link FeatureMapKind#LAYERS}; {@link FeatureMaps} uses {@link WholeGradients} when the block
 * starts at layer 0).
 *
 * @param architecture the model's architecture
 * @param firstLayer the first linear layer kept
 */
public record LayerBlockGradients(Architecture architecture, int firstLayer)
    implements GradientMap {

  @Override
  public int outputDim() {
    return architecture.numParameters() - architecture.offsetOf(firstLayer);
  }

  @Override
  public Session open(NDManager manager) {
    String columns = ":, " + architecture.offsetOf(firstLayer) + ":";
    return new Session() {
      @Override
      public NDArray apply(dev.ascribe.core.grad.Backprop pass) {
        return PerExampleGradients.fromBackprop(pass).get(columns);
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
