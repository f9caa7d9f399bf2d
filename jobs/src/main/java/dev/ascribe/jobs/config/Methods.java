package dev.ascribe.jobs.config;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.List;

/** Reads the configured method and its options (method, target, projection, λ) from a job. */
public final class Methods {
  private Methods() {}

  /** The method spec of a configuration, validated before any work starts. */
  public static MethodSpec spec(JobConfig c) {
    MethodSpec spec = new MethodSpec(c.getString("method"), c.getString("target"),
        c.getInt("projection.dim"), projectionKind(c), c.getLong("projection.seed"),
        c.getString("lambda"), c.getInt("batch"), c.section(c.getString("method")));
    int sparsity = c.getInt("projection.sparsity");
    if (sparsity != ProjectionOptions.DEFAULT_SPARSITY) {
      spec = spec.withProjectionSparsity(sparsity);
    }
    String out = c.getString("projection.out");
    String in = c.getString("projection.in");
    return OptionSpec.AUTO.equals(out) && OptionSpec.AUTO.equals(in) ? spec
        : spec.withProjectionSides(out, in);
  }

  /** The attributor for the given checkpoints, featurizing on one thread per core. */
  public static InnerProductAttributor attributor(JobConfig c, List<Checkpoint> checkpoints) {
    return spec(c).create(checkpoints, IndexedTasks.defaultThreads());
  }

  private static ProjectionKind projectionKind(JobConfig c) {
    try {
      return ProjectionKind.fromName(c.getString("projection.kind"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("projection.kind",
          "expected one of " + String.join(", ", ProjectionKind.optionNames()));
    }
  }
}
