package dev.ascribe.core.method;

import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable options of {@link TrakAttributor}; built with {@link #builder()}. */
public final class TrakOptions {
  private final ProjectionOptions projection;
  private final LambdaSpec lambda;

  private TrakOptions(ProjectionOptions projection, LambdaSpec lambda) {
    this.projection = projection;
    this.lambda = lambda;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The base projection (checkpoint c uses a seed derived from its seed and c), or null when
   * gradients are kept whole.
   */
  public ProjectionOptions projection() {
    return projection;
  }

  /** λ added to the kernel, on the mean scale. */
  public LambdaSpec lambda() {
    return lambda;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("projection", projection == null ? "none" : projection.toMap());
    m.put("lambda", lambda.toString());
    return m;
  }

  @Override
  public String toString() {
    return toMap().toString();
  }

  /** Builder; every option has a default. */
  public static final class Builder {
    private int dim = 512;
    private ProjectionKind kind = ProjectionOptions.DEFAULT_KIND;
    private long seed = 0;
    private LambdaSpec lambda = LambdaSpec.parse(Method.TRAK.defaultLambda());
    private boolean projectionGiven;
    private ProjectionOptions projection;

    /**
     * The whole projection at once (overrides dim, kind and seed); null keeps gradients whole,
     * which only suits small models.
     */
    public Builder optProjection(ProjectionOptions projection) {
      this.projection = projection;
      this.projectionGiven = true;
      return this;
    }

    /** Projection dimension k, default 512; >= 1. */
    public Builder optProjectionDim(int dim) {
      this.dim = dim;
      return this;
    }

    /** Projection entries, default Gaussian. */
    public Builder optProjectionKind(ProjectionKind kind) {
      this.kind = kind;
      return this;
    }

    /** Projection seed, default 0. */
    public Builder optProjectionSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * λ, default {@link Method#defaultLambda() TRAK's} ({@code auto}: the validated rule, the
     * same as on the command line and on Spark); {@code LambdaSpec.absolute(0)} is TRAK's
     * original kernel.
     */
    public Builder optLambda(LambdaSpec lambda) {
      this.lambda = lambda;
      return this;
    }

    public TrakOptions build() {
      if (projectionGiven) {
        return new TrakOptions(projection, lambda);
      }
      if (dim < 1) {
        throw new IllegalArgumentException(
            "TRAK option projection.dim given " + dim + ": must be >= 1");
      }
      ProjectionOptions p = ProjectionOptions.builder().setDim(dim).optKind(kind).optSeed(seed)
          .optCacheBytes(Math.max(ProjectionOptions.DEFAULT_CACHE_BYTES, 1L << 30)).build();
      return new TrakOptions(p, lambda);
    }
  }
}
