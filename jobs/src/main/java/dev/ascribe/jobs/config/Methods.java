package dev.ascribe.jobs.config;

import dev.ascribe.core.attribute.AttributionTask;
import dev.ascribe.core.attribute.Checkpoint;
import dev.ascribe.core.attribute.GradDotAttributor;
import dev.ascribe.core.attribute.InnerProductAttributor;
import dev.ascribe.core.attribute.TrakAttributor;
import dev.ascribe.core.attribute.TrakOptions;
import dev.ascribe.core.grad.ModelOutput;
import dev.ascribe.core.grad.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.List;
import java.util.Locale;

/** Builds the configured attribution method from a job's options (method, target, projection, λ). */
public final class Methods {
  /** Method names the command line accepts. */
  public static final List<String> NAMES = List.of("trak", "grad-dot");

  private Methods() {}

  /** The method named by option {@code method}, validated before any work starts. */
  public static String method(JobConfig c) {
    String method = c.getString("method");
    if (!NAMES.contains(method)) {
      throw c.invalid("method", "expected one of " + String.join(", ", NAMES));
    }
    return method;
  }

  /** The query-side measurement named by option {@code target}. */
  public static ModelOutput target(JobConfig c) {
    return switch (c.getString("target")) {
      case "margin" -> ModelOutputs.margin();
      case "neg-loss" -> ModelOutputs.negLoss();
      default -> throw c.invalid("target", "expected margin or neg-loss");
    };
  }

  /** Option {@code lambda}: a number, a multiple of the mean eigenvalue like 0.3x. */
  public static LambdaSpec lambda(JobConfig c) {
    try {
      return LambdaSpec.parse(c.getString("lambda"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option " + e.getMessage(), e);
    }
  }

  /** The attributor for the given checkpoints. */
  public static InnerProductAttributor attributor(JobConfig c, List<Checkpoint> checkpoints) {
    String method = method(c);
    AttributionTask task = AttributionTask.builder().setCheckpoints(checkpoints)
        .optTarget(target(c)).build();
    int dim = c.getInt("projection.dim");
    ProjectionKind kind = projectionKind(c);
    long seed = c.getLong("projection.seed");
    if (method.equals("trak")) {
      return new TrakAttributor(task, TrakOptions.builder().optProjectionDim(dim)
          .optProjectionKind(kind).optProjectionSeed(seed).optLambda(lambda(c)).build());
    }
    if (dim < 1) {
      throw c.invalid("projection.dim", "must be >= 1");
    }
    return new GradDotAttributor(task, ProjectionOptions.builder().setDim(dim).optKind(kind)
        .optSeed(seed).optCacheBytes(1L << 30).build());
  }

  private static ProjectionKind projectionKind(JobConfig c) {
    try {
      return ProjectionKind.valueOf(c.getString("projection.kind").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw c.invalid("projection.kind", "expected gaussian or rademacher");
    }
  }
}
