package dev.ascribe.core.precondition;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.CurvatureProducts;
import dev.ascribe.core.grad.GaussNewtonProduct;
import dev.ascribe.core.grad.HessianVectorProduct;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.ihvp.Arnoldi;
import dev.ascribe.core.ihvp.ConjugateGradient;
import dev.ascribe.core.ihvp.ExplicitInverse;
import dev.ascribe.core.ihvp.HessianCurvature;
import dev.ascribe.core.ihvp.InverseHvp;
import dev.ascribe.core.ihvp.Lissa;
import dev.ascribe.core.model.Inputs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * (H + λI)⁻¹ applied to query features, H the Hessian of the mean training loss of one checkpoint,
 * by the configured solver. It keeps what it needs to rebuild the solver anywhere (checkpoint,
 * training data, options), so it can be shipped to Spark executors; solvers with a reusable state
 * (explicit: the factor; Arnoldi: the eigenpairs) are fitted once per process and kept.
 */
public final class HessianPreconditioner implements Preconditioner {
  private static final long serialVersionUID = 1L;

  private final Checkpoint checkpoint;
  private final Dataset train;
  private final InfluenceOptions options;
  private final int threads;
  private transient InverseHvp fitted;
  private transient Map<String, Object> lastDescription;
  private transient double lowestCurvature = Double.NaN;

  /** @param threads threads for the Hessian-vector products */
  public HessianPreconditioner(Checkpoint checkpoint, Dataset train, InfluenceOptions options,
      int threads) {
    this.checkpoint = checkpoint;
    this.train = train;
    this.options = options;
    this.threads = threads;
  }

  /**
   * Bytes of query vectors (as doubles) solved together. A solver holds a few arrays of the size
   * of its input (CG: x, r, p and Hp), so solving all m queries of a whole-gradient model at once
   * would hold 5 m d doubles (2.2 GB for 500 MNIST-MLP queries); in chunks it holds 5 times this.
   */
  static final long CHUNK_BYTES = 64L << 20;

  /**
   * Queries solved together: as many as fit {@link #CHUNK_BYTES}, rounded down to whole blocks of
   * the Hessian-vector product's directions (so that every direction is pushed through the same
   * block as when all queries are solved at once), at least one block.
   */
  static int chunkRows(int dim, int directionBlock) {
    long rows = CHUNK_BYTES / (8L * dim);
    return (int) Math.max(directionBlock, rows / directionBlock * directionBlock);
  }

  @Override
  public synchronized float[] apply(float[] queries, int m) {
    int k = options.featureDim(checkpoint.spec());
    if (queries.length != m * k) {
      throw new IllegalArgumentException("query features hold " + queries.length + " values: "
          + m + " rows of " + k + " parameters expected");
    }
    float[] out = new float[queries.length];
    int chunk = chunkRows(k, HessianVectorProduct.Options.defaults().directionBlock());
    withSolver(solver -> {
      for (int from = 0; from < m; from += chunk) {
        int rows = Math.min(m, from + chunk) - from;
        double[][] v = new double[rows][k];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < k; j++) {
            v[r][j] = queries[(from + r) * k + j];
          }
        }
        double[][] x = solver.solve(v);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < k; j++) {
            out[(from + r) * k + j] = (float) x[r][j];
          }
        }
      }
      return null;
    });
    return out;
  }

  /** (H + λI)⁻¹ v for each v (doubles in, doubles out). */
  public synchronized double[][] solve(double[][] v) {
    return withSolver(solver -> solver.solve(v));
  }

  /**
   * Runs {@code work} with this checkpoint's solver: the fitted one where the solver keeps a
   * reusable state, else one made for this call over a Hessian-vector product that is closed
   * at its end (its native memory is freed with it).
   */
  private <T> T withSolver(java.util.function.Function<InverseHvp, T> work) {
    if (fitted != null) {
      return work.apply(fitted);
    }
    int[] rows = Inputs.range(0, train.size());
    try (CurvatureProducts hvp = products(rows)) {
      InverseHvp solver = fit(hvp, rows);
      T result = work.apply(solver);
      lastDescription = solver.describe();
      if (solver instanceof ExplicitInverse || solver instanceof Arnoldi) {
        fitted = solver;
      }
      return result;
    }
  }

  /** Products with the configured curvature of this checkpoint's mean training loss. */
  private CurvatureProducts products(int[] rows) {
    ModelSpec spec = checkpoint.spec();
    return options.curvature(spec) == InfluenceOptions.Curvature.HESSIAN
        ? new HessianVectorProduct(checkpoint, train, rows, options.firstLayer(spec),
            HessianVectorProduct.Options.defaults().withThreads(threads))
        : new GaussNewtonProduct(checkpoint, train, rows, options.blockOffset(spec),
            HessianVectorProduct.Options.defaults().dataType());
  }

  private InverseHvp fit(CurvatureProducts hvp, int[] rows) {
    double[] resolved = options.resolve(new HessianCurvature(hvp, rows, rows.length, 0));
    double lambda = resolved[0];
    lowestCurvature = resolved[1];
    return switch (options.solver()) {
      case EXPLICIT -> ExplicitInverse.fit(new HessianCurvature(hvp, rows, rows.length, 0),
          lambda, options.explicitMaxDim());
      case CG -> new ConjugateGradient(new HessianCurvature(hvp, rows, rows.length, 0), lambda,
          options.cgOptions());
      case LISSA -> {
        Lissa.Options o = options.lissaOptions();
        yield new Lissa(new HessianCurvature(hvp, rows, options.lissaBatch(), o.seed()), lambda,
            o);
      }
      case ARNOLDI -> Arnoldi.fit(new HessianCurvature(hvp, rows, rows.length, 0), lambda,
          options.arnoldiOptions());
    };
  }

  @Override
  public synchronized Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "hessian");
    m.putAll(options.toMap());
    m.put("curvature", options.curvature(checkpoint.spec()) == InfluenceOptions.Curvature.HESSIAN
        ? "hessian" : "gauss-newton");
    m.put("parameters", options.featureDim(checkpoint.spec()));
    m.put("n", train.size());
    if (!Double.isNaN(lowestCurvature)) {
      m.put("lowest_ritz_value", lowestCurvature);
    }
    if (fitted != null) {
      m.put("solver_state", fitted.describe());
    } else if (lastDescription != null) {
      m.put("solver_state", lastDescription);
    }
    return m;
  }
}
