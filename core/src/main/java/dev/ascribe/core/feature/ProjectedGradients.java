package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.Projector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Another map's features projected once more: rows φ (length K') of {@code inner} become P φ
 * (length k). {@code projection.kind = factorized} uses it to bring the Kronecker features of
 * every layer (K' wide) to exactly projection.dim with an SJLT ({@link FeatureMaps}).
 *
 * @param inner the map whose rows are projected
 * @param projection P (k x K'), K' = {@code inner.outputDim()}
 */
public record ProjectedGradients(GradientMap inner, Projection projection)
    implements GradientMap {

  public ProjectedGradients {
    if (projection.inputDim() != inner.outputDim()) {
      throw new IllegalArgumentException("projection for " + projection.inputDim()
          + " inputs cannot project features of width " + inner.outputDim());
    }
  }

  @Override
  public int outputDim() {
    return projection.outputDim();
  }

  @Override
  public Session open(NDManager manager) {
    Session features = inner.open(manager);
    Projector projector = projection.open(manager);
    return new Session() {
      @Override
      public NDArray apply(Backprop pass) {
        try (NDArray rows = features.apply(pass)) {
          return projector.project(rows);
        }
      }

      @Override
      public void close() {
        projector.close();
        features.close();
      }
    };
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "projected");
    m.put("features", inner.describe());
    m.put("projection", projection.describe());
    return m;
  }
}
