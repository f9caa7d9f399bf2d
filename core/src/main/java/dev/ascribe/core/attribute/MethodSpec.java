package dev.ascribe.core.attribute;

import dev.ascribe.core.grad.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A method and its options as plain values: validated here, shipped to Spark executors, and turned
 * into an {@link InnerProductAttributor} wherever the checkpoints are.
 *
 * @param method "trak" or "grad-dot"
 * @param target query-side measurement name ("margin" or "neg-loss")
 * @param projectionDim k
 * @param projectionKind Gaussian or Rademacher
 * @param projectionSeed base projection seed
 * @param lambda λ as the command line writes it (TRAK only)
 * @param batchSize examples per gradient batch
 */
public record MethodSpec(String method, String target, int projectionDim,
    ProjectionKind projectionKind, long projectionSeed, String lambda, int batchSize)
    implements Serializable {
  /** Method names understood. */
  public static final List<String> METHODS = List.of("trak", "grad-dot");

  public MethodSpec {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("option method given " + method + ": expected one of "
          + String.join(", ", METHODS));
    }
    if (!target.equals("margin") && !target.equals("neg-loss")) {
      throw new IllegalArgumentException(
          "option target given " + target + ": expected margin or neg-loss");
    }
    if (projectionDim < 1) {
      throw new IllegalArgumentException(
          "option projection.dim given " + projectionDim + ": must be >= 1");
    }
    LambdaSpec.parse(lambda);
    if (batchSize < 1) {
      throw new IllegalArgumentException("option batch given " + batchSize + ": must be >= 1");
    }
  }

  /** The parsed λ. */
  public LambdaSpec lambdaSpec() {
    return LambdaSpec.parse(lambda);
  }

  /** The recipe of the method. */
  public Recipe recipe() {
    return method.equals("trak") ? TrakAttributor.RECIPE : GradDotAttributor.RECIPE;
  }

  /** The attributor over the given checkpoints, featurizing on up to {@code threads} threads. */
  public InnerProductAttributor create(List<Checkpoint> checkpoints, int threads) {
    AttributionTask task = AttributionTask.builder().setCheckpoints(checkpoints)
        .optTarget(ModelOutputs.byName(target)).optBatchSize(batchSize).optThreads(threads)
        .build();
    if (method.equals("trak")) {
      return new TrakAttributor(task, TrakOptions.builder().optProjectionDim(projectionDim)
          .optProjectionKind(projectionKind).optProjectionSeed(projectionSeed)
          .optLambda(lambdaSpec()).build());
    }
    return new GradDotAttributor(task, ProjectionOptions.builder().setDim(projectionDim)
        .optKind(projectionKind).optSeed(projectionSeed).optCacheBytes(1L << 30).build());
  }

  /** The options as a map (for stage fingerprints and provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method);
    m.put("target", target);
    m.put("projection.dim", projectionDim);
    m.put("projection.kind", projectionKind.name().toLowerCase(java.util.Locale.ROOT));
    m.put("projection.seed", projectionSeed);
    m.put("lambda", lambda);
    m.put("batch", batchSize);
    return m;
  }
}
