package dev.ascribe.core.precondition;

import dev.ascribe.core.ihvp.Arnoldi;
import dev.ascribe.core.ihvp.ConjugateGradient;
import dev.ascribe.core.ihvp.Lissa;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.option.OptionSpec.Type;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * Immutable options of the Hessian influence-function methods: which inverse-HVP solver, λ, and
 * the solver's own options, parsed from {@code <method>.<option>} values with defaults.
 *
 * @param solver the inverse-HVP solver
 * @param lambda damping on the mean scale (absolute); with {@code adaptive}, its floor
 * @param adaptive raise λ above the Hessian's most negative curvature ({@link #resolve}): the
 *     default, so that the solvers also work on non-convex models
 * @param options the solver's options as given (unknown ones rejected), defaults filled in
 */
public record InfluenceOptions(Solver solver, double lambda, boolean adaptive,
    Map<String, String> options) implements Serializable {

  /**
   * The curvature every solver inverts, {@code <method>.curvature}: declared once, listed first
   * in each solver's options.
   */
  static final OptionSpec CURVATURE = new OptionSpec("curvature", Type.CHOICE, "auto",
      "hessian: the exact Hessian (products written for lr and mlp); gauss-newton: J^T H_out J,"
      + " positive semi-definite, for any classifier (one pass per class); auto: hessian where"
      + " its products are written, else gauss-newton");

  /** What {@link #CURVATURE} names. */
  public enum Curvature {
    HESSIAN,
    GAUSS_NEWTON
  }

  /** The solvers, with their method names and their options (the one place of the defaults). */
  public enum Solver {
    EXPLICIT("if-explicit", List.of(CURVATURE,
        new OptionSpec("layers", Type.CHOICE, "all",
            "all: the whole Hessian (d up to max-dim); last: the last linear layer's block only"),
        new OptionSpec("max-dim", Type.WHOLE, "10000",
            "largest parameter count whose d x d Hessian is formed"))),
    CG("if-cg", List.of(CURVATURE,
        new OptionSpec("iterations", Type.WHOLE, "100",
            "conjugate-gradient iterations per query at most"),
        new OptionSpec("tolerance", Type.NUMBER, "1e-6", "relative residual to stop at"))),
    LISSA("if-lissa", List.of(CURVATURE,
        new OptionSpec("scale", Type.NUMBER, "auto", "auto: twice the largest eigenvalue of"
            + " sampled mini-batch Hessians (power iteration); or a number"),
        new OptionSpec("depth", Type.WHOLE, "1000", "recursion steps"),
        new OptionSpec("batch", Type.WHOLE, "64", "training rows per mini-batch Hessian"),
        new OptionSpec("repeats", Type.WHOLE, "1", "recursions averaged"),
        new OptionSpec("seed", Type.WHOLE, "0", "seed of the mini-batch samples"))),
    ARNOLDI("if-arnoldi", List.of(CURVATURE,
        new OptionSpec("iterations", Type.WHOLE, "200",
            "Krylov steps (one Hessian-vector product each)"),
        new OptionSpec("rank", Type.WHOLE, "100", "eigenpairs kept (rank <= iterations)"),
        new OptionSpec("seed", Type.WHOLE, "0", "seed of the starting vector")));

    private final String method;
    private final List<OptionSpec> options;

    Solver(String method, List<OptionSpec> options) {
      this.method = method;
      this.options = options;
    }

    public String method() {
      return method;
    }

    /** The solver's options ({@code <method>.<name>} keys), with their defaults. */
    public List<OptionSpec> options() {
      return options;
    }

    /** The solver of a method name, or null for a method that is not a Hessian IF. */
    public static Solver ofMethod(String method) {
      for (Solver s : values()) {
        if (s.method.equals(method)) {
          return s;
        }
      }
      return null;
    }
  }

  /** The default λ of the Hessian methods (absolute, mean scale). */
  public static final String DEFAULT_LAMBDA = "0.01";

  public InfluenceOptions {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("option lambda given " + lambda + " for "
          + solver.method() + ": must be finite and >= 0");
    }
    Map<String, String> filled = OptionSpec.withDefaults(solver.method(), solver.options(),
        options);
    options = filled;
    // Parse everything now: a bad value fails before any work starts.
    curvatureOf(filled.get(CURVATURE.name()), solver, null);
    switch (solver) {
      case EXPLICIT -> {
        firstLayerOf(filled.get("layers"), null);
        positiveInt(filled, "max-dim", solver);
      }
      case CG -> cg(filled);
      case LISSA -> {
        lissa(filled);
        positiveInt(filled, "batch", solver);
      }
      case ARNOLDI -> arnoldi(filled);
      default -> throw new AssertionError(solver);
    }
  }

  /**
   * Options of {@code method} from a λ and its {@code <method>.<option>} values.
   *
   * @throws IllegalArgumentException for a relative or automatic λ, which these methods do not
   *     define (their curvature's spectrum is not computed)
   */
  public static InfluenceOptions of(String method, LambdaSpec lambda, Map<String, String> given) {
    return of(method, lambda, false, given);
  }

  /**
   * As {@link #of(String, LambdaSpec, Map)}; {@code adaptive} for {@code lambda=default}: λ is
   * then {@value #DEFAULT_LAMBDA} raised above the Hessian's most negative curvature.
   */
  public static InfluenceOptions of(String method, LambdaSpec lambda, boolean adaptive,
      Map<String, String> given) {
    Solver solver = Solver.ofMethod(method);
    if (solver == null) {
      throw new IllegalArgumentException(method + " is not a Hessian influence method");
    }
    if (lambda.kind() != LambdaSpec.Kind.ABSOLUTE) {
      throw new IllegalArgumentException("option lambda given " + lambda + " for " + method
          + ": the Hessian methods take an absolute value such as " + DEFAULT_LAMBDA
          + " (multiples and auto are defined for the kernel methods trak and if-fim)");
    }
    return new InfluenceOptions(solver, lambda.value(), adaptive, given);
  }

  /** Lanczos steps that estimate the most negative curvature for the adaptive default. */
  static final int CURVATURE_PROBE_STEPS = 30;

  /**
   * The λ to use on curvature {@code h}: the given value, or for the adaptive default
   * λ = floor + 2 max(0, -σ_min), σ_min the lowest Ritz value of {@value #CURVATURE_PROBE_STEPS}
   * Lanczos steps (Lanczos finds the extremes of the spectrum first): H + λI is then positive
   * definite with a margin, which CG and LiSSA need.
   *
   * @return {λ, σ_min} (σ_min NaN when not probed)
   */
  public double[] resolve(dev.ascribe.core.ihvp.CurvatureOperator h) {
    if (!adaptive) {
      return new double[] {lambda, Double.NaN};
    }
    int steps = Math.min(CURVATURE_PROBE_STEPS, h.dim());
    double lowest = dev.ascribe.core.ihvp.Arnoldi.fit(h, 0,
        new dev.ascribe.core.ihvp.Arnoldi.Options(steps, 1, 0)).lowestRitzValue();
    return new double[] {lambda + 2 * Math.max(0, -lowest), lowest};
  }

  /**
   * The curvature for {@code arch}: as given, or for {@code auto} the exact Hessian where its
   * products are written (the feed-forward kinds) and the Gauss-Newton matrix otherwise.
   *
   * @throws IllegalArgumentException for {@code hessian} on a model without written products,
   *     naming the option
   */
  public Curvature curvature(ModelSpec arch) {
    return curvatureOf(options.get(CURVATURE.name()), solver, arch);
  }

  private static Curvature curvatureOf(String value, Solver solver, ModelSpec arch) {
    boolean written = arch == null || arch instanceof FeedForwardSpec;
    String key = "option " + solver.method() + "." + CURVATURE.name();
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "auto" -> written ? Curvature.HESSIAN : Curvature.GAUSS_NEWTON;
      case "gauss-newton" -> Curvature.GAUSS_NEWTON;
      case "hessian" -> {
        if (!written) {
          throw new IllegalArgumentException(key + " given hessian for model " + arch.name()
              + " (model.kind " + arch.kind().id() + "): exact Hessian-vector products are"
              + " written for lr and mlp; use gauss-newton (or auto)");
        }
        yield Curvature.HESSIAN;
      }
      default -> throw new IllegalArgumentException(key + " given " + value
          + ": expected auto, hessian or gauss-newton");
    };
  }

  /** The first tapped layer whose parameters are attributed (explicit's layers option). */
  public int firstLayer(ModelSpec arch) {
    return solver == Solver.EXPLICIT ? firstLayerOf(options.get("layers"), arch) : 0;
  }

  /** Width of the features: the parameters from {@link #firstLayer} on. */
  public int featureDim(ModelSpec arch) {
    return arch.numParameters() - blockOffset(arch);
  }

  /** Where the attributed block starts in the flat parameter vector (0: every parameter). */
  public int blockOffset(ModelSpec arch) {
    int first = firstLayer(arch);
    return first == 0 ? 0 : arch.tappedLayers().get(first).weightOffset();
  }

  public int explicitMaxDim() {
    return Integer.parseInt(options.get("max-dim"));
  }

  public ConjugateGradient.Options cgOptions() {
    return cg(options);
  }

  public Lissa.Options lissaOptions() {
    return lissa(options);
  }

  public int lissaBatch() {
    return Integer.parseInt(options.get("batch"));
  }

  public Arnoldi.Options arnoldiOptions() {
    return arnoldi(options);
  }

  /** The options for provenance: solver, λ and every solver option. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", solver.method());
    m.put("lambda", adaptive ? "default (" + lambda + " + 2 x the most negative curvature)"
        : lambda);
    options.forEach((k, v) -> m.put(solver.method() + "." + k, v));
    return m;
  }

  private static int firstLayerOf(String layers, ModelSpec arch) {
    return switch (layers.toLowerCase(Locale.ROOT)) {
      case "all" -> 0;
      case "last" -> {
        if (arch != null && arch.tappedLayers().isEmpty()) {
          throw new IllegalArgumentException("option if-explicit.layers given last for model "
              + arch.name() + ", which has no tapped layers: use all");
        }
        yield arch == null ? 0 : arch.tappedLayers().size() - 1;
      }
      default -> throw new IllegalArgumentException("option if-explicit.layers given " + layers
          + ": expected all or last");
    };
  }

  private static ConjugateGradient.Options cg(Map<String, String> m) {
    return new ConjugateGradient.Options(positiveInt(m, "iterations", Solver.CG),
        number(m, "tolerance", Solver.CG));
  }

  private static Lissa.Options lissa(Map<String, String> m) {
    String scale = m.get("scale");
    double s = scale.equalsIgnoreCase("auto") ? Double.NaN : number(m, "scale", Solver.LISSA);
    return new Lissa.Options(s, positiveInt(m, "depth", Solver.LISSA),
        positiveInt(m, "repeats", Solver.LISSA), whole(m, "seed", Solver.LISSA));
  }

  private static Arnoldi.Options arnoldi(Map<String, String> m) {
    return new Arnoldi.Options(positiveInt(m, "iterations", Solver.ARNOLDI),
        positiveInt(m, "rank", Solver.ARNOLDI), whole(m, "seed", Solver.ARNOLDI));
  }

  private static int positiveInt(Map<String, String> m, String key, Solver solver) {
    long v = whole(m, key, solver);
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("option " + solver.method() + "." + key + " given "
          + m.get(key) + ": must be a whole number >= 1");
    }
    return (int) v;
  }

  private static long whole(Map<String, String> m, String key, Solver solver) {
    try {
      return Long.parseLong(m.get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + solver.method() + "." + key + " given "
          + m.get(key) + ": expected a whole number", e);
    }
  }

  private static double number(Map<String, String> m, String key, Solver solver) {
    try {
      double v = Double.parseDouble(m.get(key));
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + solver.method() + "." + key + " given "
          + m.get(key) + ": expected a number", e);
    }
  }
}
