package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A method and its options as plain values: validated here, shipped to Spark executors, and turned
 * into an {@link InnerProductAttributor} wherever the checkpoints are.
 *
 * @param method one of {@link #METHODS}
 * @param target query-side measurement name ("margin" or "neg-loss")
 * @param projectionDim k, or 0 for full gradients (methods that project; the Hessian influence
 *     methods never project)
 * @param projectionKind Gaussian or Rademacher
 * @param projectionSeed base projection seed
 * @param lambda λ as the command line writes it, or {@code default} for the method's default
 * @param batchSize examples per gradient batch
 * @param options the method's own options ({@code <method>.<option>} keys, without the prefix)
 */
public record MethodSpec(String method, String target, int projectionDim,
    ProjectionKind projectionKind, long projectionSeed, String lambda, int batchSize,
    Map<String, String> options) implements Serializable {
  /** Method names understood. */
  public static final List<String> METHODS = List.of("trak", "grad-dot", "if-fim", "tracin",
      "grad-cos", "rps", "logra", "if-explicit", "if-cg", "if-lissa", "if-arnoldi");
  /** The λ option value that selects the method's own default. */
  public static final String DEFAULT_LAMBDA = "default";

  public MethodSpec {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("option method given " + method + ": expected one of "
          + String.join(", ", METHODS));
    }
    if (!target.equals("margin") && !target.equals("neg-loss")) {
      throw new IllegalArgumentException(
          "option target given " + target + ": expected margin or neg-loss");
    }
    if (projectionDim < 0) {
      throw new IllegalArgumentException("option projection.dim given " + projectionDim
          + ": must be >= 1, or 0 for full gradients");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("option batch given " + batchSize + ": must be >= 1");
    }
    options = new TreeMap<>(options == null ? Map.of() : options);
    // Parsed now so that a bad value fails before any work starts.
    LambdaSpec parsed = lambdaOf(method, lambda);
    if (InfluenceOptions.Solver.ofMethod(method) != null) {
      InfluenceOptions.of(method, parsed, options);
    } else if (method.equals("logra")) {
      LograOptions.parse(options, projectionKind, projectionSeed);
    } else if (method.equals("rps")) {
      RpsOptions.parse(options);
    }
  }

  /** A spec without method-specific options. */
  public MethodSpec(String method, String target, int projectionDim,
      ProjectionKind projectionKind, long projectionSeed, String lambda, int batchSize) {
    this(method, target, projectionDim, projectionKind, projectionSeed, lambda, batchSize,
        Map.of());
  }

  /** The parsed λ ({@code default} replaced by the method's default). */
  public LambdaSpec lambdaSpec() {
    return lambdaOf(method, lambda);
  }

  /**
   * The default λ of each method. TRAK and IF-FIM: {@code auto}, the rule validated against
   * retrained models on the MNIST cases of the README (LDS ≥ 0.9 x the best λ's in each); LoGra's
   * Fisher inner product: the mean non-zero eigenvalue; the Hessian influence methods: 0.01
   * (absolute); other methods: 0. RPS has its own L2 strength, rps.lambda.
   */
  public static String defaultLambda(String method) {
    if (InfluenceOptions.Solver.ofMethod(method) != null) {
      return InfluenceOptions.DEFAULT_LAMBDA;
    }
    return switch (method) {
      case "trak", "if-fim" -> "auto";
      case "logra" -> "1x";
      default -> "0";
    };
  }

  private static LambdaSpec lambdaOf(String method, String lambda) {
    return LambdaSpec.parse(DEFAULT_LAMBDA.equals(lambda) ? defaultLambda(method) : lambda);
  }

  /** The options of a Hessian influence method, or null for other methods. */
  public InfluenceOptions influenceOptions() {
    return InfluenceOptions.Solver.ofMethod(method) == null ? null
        : InfluenceOptions.of(method, lambdaSpec(), DEFAULT_LAMBDA.equals(lambda), options);
  }

  /** The recipe of the method. */
  public Recipe recipe() {
    if (influenceOptions() != null) {
      return HessianInfluenceAttributor.recipe(influenceOptions());
    }
    return switch (method) {
      case "trak" -> TrakAttributor.RECIPE;
      case "if-fim" -> FisherInfluenceAttributor.RECIPE;
      case "tracin" -> TracInAttributor.RECIPE;
      case "grad-cos" -> GradCosAttributor.RECIPE;
      case "rps" -> RpsAttributor.RECIPE;
      case "logra" -> LograAttributor.recipe(lograOptions().inner());
      default -> GradDotAttributor.RECIPE;
    };
  }

  /** LoGra's options (logra.* keys, projection.kind and projection.seed). */
  public LograOptions lograOptions() {
    return LograOptions.parse(options, projectionKind, projectionSeed);
  }

  /** RPS's options (rps.* keys). */
  public RpsOptions rpsOptions() {
    return RpsOptions.parse(options);
  }

  /**
   * The checkpoints this method featurizes, from the models' own: RPS refits each last layer on
   * {@code train} (see {@link RpsRefit}); other methods use them as they are.
   */
  public List<Checkpoint> prepare(List<Checkpoint> checkpoints, dev.ascribe.core.data.Dataset train,
      int threads) {
    return method.equals("rps")
        ? RpsAttributor.refit(checkpoints, train, rpsOptions(), batchSize, threads)
        : checkpoints;
  }

  /**
   * Whether fitting needs the training rows on the driver: RPS refits each last layer there
   * ({@link #prepare}) and the Hessian influence methods take their curvature products there.
   */
  public boolean needsTrainingRowsOnDriver() {
    return method.equals("rps") || influenceOptions() != null;
  }

  /** The projection options, or null when gradients are kept whole (projection.dim = 0). */
  public ProjectionOptions projection() {
    if (projectionDim == 0) {
      return null;
    }
    return ProjectionOptions.builder().setDim(projectionDim).optKind(projectionKind)
        .optSeed(projectionSeed).optCacheBytes(1L << 30).build();
  }

  /** Largest whole-gradient width a d x d kernel is built for (a 16384² kernel takes 2 GiB). */
  public static final int MAX_KERNEL_DIM = 16384;

  /**
   * Width k of the features this method writes for models of {@code architecture}.
   *
   * @throws IllegalArgumentException when whole gradients would need a kernel too large to hold
   */
  public int featureDim(ModelSpec architecture) {
    if (influenceOptions() != null) {
      return influenceOptions().featureDim(architecture);
    }
    if (method.equals("rps")) {
      return RpsAttributor.featureDim(architecture);
    }
    int d = method.equals("logra")
        ? LograAttributor.gradientMap(architecture, lograOptions(), 0).outputDim()
        : architecture.numParameters();
    if (method.equals("logra")) {
      if (recipe().kernel() && d > MAX_KERNEL_DIM) {
        throw new IllegalArgumentException("options logra.in and logra.out give " + d
            + " Kronecker features on " + architecture.name() + ": the Fisher kernel would be "
            + d + " x " + d + "; choose dimensions whose products sum to at most "
            + MAX_KERNEL_DIM);
      }
      return d;
    }
    if (projectionDim == 0 && recipe().kernel() && d > MAX_KERNEL_DIM) {
      throw new IllegalArgumentException("option projection.dim given 0 (whole gradients) for "
          + method + " on " + architecture.name() + " with " + d + " parameters: its kernel"
          + " would be " + d + " x " + d + "; give projection.dim between 1 and "
          + MAX_KERNEL_DIM);
    }
    return projectionDim == 0 ? d : projectionDim;
  }

  /**
   * The attributor over the given checkpoints, featurizing on up to {@code threads} threads. For
   * RPS the checkpoints must come from {@link #prepare}.
   */
  public InnerProductAttributor create(List<Checkpoint> checkpoints, int threads) {
    if (method.equals("rps")) {
      featureDim(checkpoints.get(0).spec());
      return RpsAttributor.scorer(checkpoints, batchSize, threads);
    }
    AttributionTask task = AttributionTask.builder().setCheckpoints(checkpoints)
        .optTarget(ModelOutputs.byName(target)).optBatchSize(batchSize).optThreads(threads)
        .build();
    featureDim(checkpoints.get(0).spec());
    if (influenceOptions() != null) {
      return new HessianInfluenceAttributor(task, influenceOptions());
    }
    return switch (method) {
      case "trak" -> new TrakAttributor(task, TrakOptions.builder()
          .optProjection(projection()).optLambda(lambdaSpec()).build());
      case "if-fim" -> new FisherInfluenceAttributor(task, projection(), lambdaSpec());
      case "tracin" -> new TracInAttributor(task, projection());
      case "grad-cos" -> new GradCosAttributor(task, projection());
      case "logra" -> new LograAttributor(task, lograOptions(), lambdaSpec());
      default -> new GradDotAttributor(task, projection());
    };
  }

  /** The options as a map (for stage fingerprints and provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method);
    m.put("target", target);
    m.put("projection.dim", projectionDim);
    m.put("projection.kind", projectionKind.name().toLowerCase(java.util.Locale.ROOT));
    m.put("projection.seed", projectionSeed);
    m.put("lambda", lambdaSpec().toString());
    m.put("batch", batchSize);
    options.forEach((k, v) -> m.put(method + "." + k, v));
    return m;
  }
}
