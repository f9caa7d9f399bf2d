package dev.ascribe.core.ihvp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * LiSSA (Agarwal et al., 2017), in DESIGN.md's form: per vector v,
 *
 * <pre>
 *   est ← v + (1 - damping) est - H_b est / scale        (est starts at v)
 * </pre>
 *
 * over {@code depth} steps with a fresh mini-batch Hessian H_b each step; the answer is est / scale,
 * averaged over {@code repeats} independent recursions. Its fixed point is
 * (H + damping·scale·I)⁻¹ v, so damping = λ / scale. The recursion contracts only when scale
 * exceeds the largest eigenvalue of every H_b + λI; otherwise it blows up, which is detected and
 * reported with the option to change.
 */
public final class Lissa implements InverseHvp {
  /** ‖est‖ beyond this multiple of ‖v‖ · max(1, scale/λ) counts as divergence. */
  static final double DIVERGENCE_FACTOR = 1e6;

  private final SampledCurvature h;
  private final double lambda;
  private final Options options;
  private final double scale;

  /**
   * @param scale the scale, or NaN to choose it: 2 x the largest eigenvalue of the sampled
   *     mini-batch Hessians, estimated by power iteration
   * @param depth recursion steps
   * @param repeats independent recursions averaged
   * @param seed seeds the mini-batches and the power iteration
   */
  public record Options(double scale, int depth, int repeats, long seed) {
    public Options {
      if (!Double.isNaN(scale) && !(scale > 0 && Double.isFinite(scale))) {
        throw new IllegalArgumentException(
            "option if-lissa.scale given " + scale + ": must be > 0, or auto");
      }
      if (depth < 1) {
        throw new IllegalArgumentException("option if-lissa.depth given " + depth
            + ": must be >= 1");
      }
      if (repeats < 1) {
        throw new IllegalArgumentException("option if-lissa.repeats given " + repeats
            + ": must be >= 1");
      }
    }
  }

  public Lissa(SampledCurvature h, double lambda, Options options) {
    Vectors.checkLambda(lambda, "if-lissa");
    this.h = h;
    this.lambda = lambda;
    this.options = options;
    this.scale = Double.isNaN(options.scale()) ? 2 * largestSampledEigenvalue(h, options.seed())
        : options.scale();
  }

  /** The scale in use (chosen, or as given). */
  public double scale() {
    return scale;
  }

  @Override
  public double[][] solve(double[][] v) {
    int d = h.dim();
    Vectors.checkDims(v, d, "if-lissa");
    int m = v.length;
    double damping = lambda / scale;
    double bound = DIVERGENCE_FACTOR * Math.max(1, lambda > 0 ? scale / lambda : 1);
    double[] vNorm = new double[m];
    for (int j = 0; j < m; j++) {
      vNorm[j] = Vectors.norm(v[j]);
    }
    double[][] sum = new double[m][d];
    for (int rep = 0; rep < options.repeats(); rep++) {
      double[][] est = new double[m][];
      for (int j = 0; j < m; j++) {
        est[j] = v[j].clone();
      }
      for (int t = 0; t < options.depth(); t++) {
        long step = (long) rep * options.depth() + t;
        double[][] hb = h.applySample(est, step);
        for (int j = 0; j < m; j++) {
          double[] e = est[j];
          double[] hv = hb[j];
          double[] vj = v[j];
          for (int i = 0; i < d; i++) {
            e[i] = vj[i] + (1 - damping) * e[i] - hv[i] / scale;
          }
          double norm = Vectors.norm(e);
          if (!Double.isFinite(norm) || norm > bound * vNorm[j]) {
            throw new SolverDivergedException(String.format(Locale.ROOT,
                "if-lissa diverged at step %d of recursion %d (‖est‖/‖v‖ = %.3g): scale %.4g is"
                    + " below the largest eigenvalue of some mini-batch Hessian (plus λ) or the"
                    + " Hessian has negative curvature beyond λ = %g; raise if-lissa.scale (or"
                    + " leave it auto), raise if-lissa.batch, or raise lambda",
                t + 1, rep + 1, norm / vNorm[j], scale, lambda));
          }
        }
      }
      for (int j = 0; j < m; j++) {
        Vectors.axpy(1.0 / (scale * options.repeats()), est[j], sum[j]);
      }
    }
    return sum;
  }

  /**
   * The largest eigenvalue magnitude over a few sampled mini-batch Hessians (20 Lanczos steps of
   * {@link Arnoldi} on each of 4 batches): LiSSA contracts only when its scale exceeds it.
   */
  static double largestSampledEigenvalue(SampledCurvature h, long seed) {
    double largest = 0;
    for (int batch = 0; batch < 4; batch++) {
      // Negative steps: these batches are disjoint from the recursion's own step numbers.
      long step = -1 - batch;
      CurvatureOperator oneBatch = new CurvatureOperator() {
        @Override
        public int dim() {
          return h.dim();
        }

        @Override
        public double[][] apply(double[][] directions) {
          return h.applySample(directions, step);
        }
      };
      try {
        double[] top = Arnoldi.fit(oneBatch, 0, new Arnoldi.Options(Math.min(20, h.dim()), 1,
            seed + batch)).eigenvalues();
        largest = Math.max(largest, Math.abs(top[0]));
      } catch (SolverDivergedException zeroCurvature) {
        // Only a zero batch Hessian has a zero top eigenvalue: it bounds nothing.
      }
    }
    if (!(largest > 0)) {
      throw new IllegalStateException("if-lissa: the sampled Hessians are zero: give"
          + " if-lissa.scale explicitly");
    }
    return largest;
  }

  @Override
  public double lambda() {
    return lambda;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("solver", "lissa");
    m.put("lambda", lambda);
    m.put("scale", scale);
    m.put("scale_option", Double.isNaN(options.scale()) ? "auto" : options.scale());
    m.put("damping", lambda / scale);
    m.put("depth", options.depth());
    m.put("repeats", options.repeats());
    m.put("seed", options.seed());
    return m;
  }
}
