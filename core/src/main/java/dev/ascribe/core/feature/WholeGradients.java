package dev.ascribe.core.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.Projector;
import dev.ascribe.core.project.SparseProjection;
import dev.ascribe.core.project.SparseSketch;
import java.util.Map;

/**
 * The per-example gradient over every parameter, in the flat parameter order, projected by a
 * {@link Projection} P (k x d) or kept whole (k = d): TRAK, Grad-Dot, Grad-Cos, TracIn and IF-FIM
 * ({@link FeatureMapKind#WHOLE}; built by {@link FeatureMaps}).
 *
 * @param numParameters d
 * @param projection P, or null to keep gradients whole
 */
public record WholeGradients(int numParameters, Projection projection)
    implements GradientMap {

  public WholeGradients {
    if (projection != null && projection.inputDim() != numParameters) {
      throw new IllegalArgumentException("projection for " + projection.inputDim()
          + " inputs cannot project gradients of a model with " + numParameters + " parameters");
    }
  }

  @Override
  public int outputDim() {
    return projection == null ? numParameters : projection.outputDim();
  }

  @Override
  public Session open(NDManager manager) {
    Projector projector = projection == null ? null : projection.open(manager);
    SparseSketch sketch = projection instanceof SparseProjection sparse ? sparse.sketch() : null;
    return new Session() {
      @Override
      public NDArray apply(Backprop pass) {
        if (sketch != null && PerExampleGradients.methodFor(pass.source().model().spec())
            == PerExampleGradients.Method.TAPS) {
          // Straight from the taps: the (B, d) gradient matrix is never formed.
          return SketchedGradients.project(pass, sketch, projection.outputDim());
        }
        NDArray grads = PerExampleGradients.of(pass);
        return projector == null ? grads : projector.project(grads);
      }

      @Override
      public void close() {
        if (projector != null) {
          projector.close();
        }
      }
    };
  }

  @Override
  public Map<String, Object> describe() {
    return projection == null ? Map.of("kind", "whole") : Map.of("kind", "projected",
        "projection", projection.describe());
  }
}
