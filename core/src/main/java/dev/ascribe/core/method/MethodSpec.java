package dev.ascribe.core.method;

import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.Target;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A method and its options as plain values: validated and parsed once here (into the method's
 * typed options), shipped to Spark executors, and turned into an {@link InnerProductAttributor}
 * wherever the checkpoints are. What each method does with them is in its {@link Method}.
 */
public final class MethodSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Method names understood, in registry order. */
  public static final List<String> METHODS = Method.names();
  /** The λ option value that selects the method's own default. */
  public static final String DEFAULT_LAMBDA = Method.DEFAULT_LAMBDA;

  private final Method definition;
  private final Target target;
  private final int projectionDim;
  private final ProjectionKind projectionKind;
  private final long projectionSeed;
  private final int projectionSparsity;
  /** Factorized: projection.out, null for auto. */
  private final int[] projectionOut;
  /** Factorized: projection.in, null for auto. */
  private final int[] projectionIn;
  private final String lambda;
  private final LambdaSpec lambdaSpec;
  private final int batchSize;
  private final Map<String, String> options;
  private final boolean lambdaDefaulted;
  /** The method's typed options (null for a method without options). */
  private final Serializable parsed;

  /**
   * @param method one of {@link #METHODS}
   * @param target query-side measurement name ("margin" or "neg-loss")
   * @param projectionDim k, or 0 for full gradients (methods that project; the Hessian influence
   *     methods never project)
   * @param projectionKind the projection's kind (sparsity 1 for sjlt: see {@link
   *     #withProjectionSparsity})
   * @param projectionSeed base projection seed
   * @param lambda λ as the command line writes it, or {@code default} for the method's default
   * @param batchSize examples per gradient batch
   * @param options the method's own options ({@code <method>.<option>} keys, without the prefix)
   * @throws IllegalArgumentException naming the option, for any value not allowed
   */
  public MethodSpec(String method, String target, int projectionDim,
      ProjectionKind projectionKind, long projectionSeed, String lambda, int batchSize,
      Map<String, String> options) {
    this(method, target, projectionDim, projectionKind, projectionSeed,
        ProjectionOptions.DEFAULT_SPARSITY, null, null, lambda, batchSize, options);
  }

  private MethodSpec(String method, String target, int projectionDim,
      ProjectionKind projectionKind, long projectionSeed, int projectionSparsity,
      int[] projectionOut, int[] projectionIn, String lambda, int batchSize,
      Map<String, String> options) {
    this.definition = Method.parse(method);
    this.target = Target.parse(target);
    if (projectionDim < 0) {
      throw new IllegalArgumentException("option projection.dim given " + projectionDim
          + ": must be >= 1, or 0 for full gradients");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("option batch given " + batchSize + ": must be >= 1");
    }
    this.projectionDim = projectionDim;
    this.projectionKind = Objects.requireNonNull(projectionKind, "projectionKind");
    this.projectionSeed = projectionSeed;
    if (projectionSparsity < 1 || projectionDim > 0 && projectionSparsity > projectionDim) {
      throw new IllegalArgumentException("option projection.sparsity given " + projectionSparsity
          + ": must be between 1 and projection.dim (" + projectionDim + ")");
    }
    if (projectionSparsity != ProjectionOptions.DEFAULT_SPARSITY
        && projectionKind != ProjectionKind.SJLT) {
      throw new IllegalArgumentException("option projection.sparsity given " + projectionSparsity
          + " with projection.kind " + projectionKind.optionName() + ": only sjlt has a"
          + " sparsity");
    }
    this.projectionSparsity = projectionSparsity;
    this.projectionOut = checkSide("projection.out", projectionOut, projectionKind);
    this.projectionIn = checkSide("projection.in", projectionIn, projectionKind);
    this.lambda = lambda;
    this.lambdaDefaulted = DEFAULT_LAMBDA.equals(lambda);
    this.lambdaSpec = LambdaSpec.parse(lambdaDefaulted ? definition.defaultLambda() : lambda);
    this.batchSize = batchSize;
    this.options = new TreeMap<>(options == null ? Map.of() : options);
    // Parsed now, once: a bad value fails before any work starts.
    this.parsed = definition.parse(this.options, lambdaSpec, lambdaDefaulted, projectionKind,
        projectionSeed);
  }

  /** A spec without method-specific options. */
  public MethodSpec(String method, String target, int projectionDim,
      ProjectionKind projectionKind, long projectionSeed, String lambda, int batchSize) {
    this(method, target, projectionDim, projectionKind, projectionSeed, lambda, batchSize,
        Map.of());
  }

  /**
   * This spec with {@code projection.sparsity = s} (buckets per coordinate of an sjlt
   * projection).
   *
   * @throws IllegalArgumentException naming projection.sparsity, unless 1 <= s <= k, and for s
   *     != 1 with another projection kind
   */
  public MethodSpec withProjectionSparsity(int s) {
    return new MethodSpec(method(), target(), projectionDim, projectionKind, projectionSeed, s,
        projectionOut, projectionIn, lambdaDefaulted ? DEFAULT_LAMBDA : lambda, batchSize,
        options);
  }

  /**
   * This spec with the side dimensions of a factorized projection, as {@code projection.out}
   * and {@code projection.in} write them: {@code auto} (the rule of {@code
   * feature.FactorizedDims}), one value for every linear layer, or one per layer.
   *
   * @throws IllegalArgumentException naming the option, for a value that is not such a list, a
   *     negative dimension, or a value other than auto with another projection kind
   */
  public MethodSpec withProjectionSides(String out, String in) {
    return new MethodSpec(method(), target(), projectionDim, projectionKind, projectionSeed,
        projectionSparsity, OptionSpec.parseDimensions("projection.out", out, true),
        OptionSpec.parseDimensions("projection.in", in, true),
        lambdaDefaulted ? DEFAULT_LAMBDA : lambda, batchSize, options);
  }

  private static int[] checkSide(String option, int[] dims, ProjectionKind kind) {
    if (dims == null) {
      return null;
    }
    if (kind != ProjectionKind.FACTORIZED) {
      throw new IllegalArgumentException("option " + option + " given "
          + OptionSpec.formatDimensions(dims) + " with projection.kind " + kind.optionName()
          + ": only factorized has side dimensions (leave it " + OptionSpec.AUTO + ")");
    }
    if (dims.length == 0 || Arrays.stream(dims).anyMatch(k -> k < 0)) {
      throw new IllegalArgumentException("option " + option + " given "
          + Arrays.toString(dims) + ": expected " + OptionSpec.AUTO + ", one dimension >= 0 for"
          + " every linear layer, or one per layer (0 keeps the side whole)");
    }
    return dims.clone();
  }

  /** Factorized: projection.out as written ({@code auto}, {@code 16} or {@code 16,8,10}). */
  public String projectionOut() {
    return OptionSpec.formatDimensions(projectionOut);
  }

  /** Factorized: projection.in, written like {@link #projectionOut}. */
  public String projectionIn() {
    return OptionSpec.formatDimensions(projectionIn);
  }

  /**
   * This spec with projection.dim {@code dim} and projection.kind {@code kind} (a sweep's axis):
   * sjlt keeps this spec's sparsity and factorized its side dimensions; a kind without them
   * takes their defaults.
   *
   * @throws IllegalArgumentException as the constructor, e.g. for a sparsity above {@code dim}
   */
  public MethodSpec withProjection(int dim, ProjectionKind kind) {
    return new MethodSpec(method(), target(), dim, kind, projectionSeed,
        kind == ProjectionKind.SJLT ? projectionSparsity : ProjectionOptions.DEFAULT_SPARSITY,
        kind == ProjectionKind.FACTORIZED ? projectionOut : null,
        kind == ProjectionKind.FACTORIZED ? projectionIn : null,
        lambdaDefaulted ? DEFAULT_LAMBDA : lambda, batchSize, options);
  }

  /** Buckets per coordinate of an sjlt projection (1 for the other kinds). */
  public int projectionSparsity() {
    return projectionSparsity;
  }

  /** The method's command-line name. */
  public String method() {
    return definition.cliName();
  }

  /** The method's entry in the registry. */
  public Method definition() {
    return definition;
  }

  /** The query-side measurement's name ("margin" or "neg-loss"). */
  public String target() {
    return target.cliName();
  }

  public int projectionDim() {
    return projectionDim;
  }

  public ProjectionKind projectionKind() {
    return projectionKind;
  }

  public long projectionSeed() {
    return projectionSeed;
  }

  /** λ as given ({@code default} for the method's default). */
  public String lambda() {
    return lambda;
  }

  public int batchSize() {
    return batchSize;
  }

  /** The method's own options as given ({@code <method>.<option>} keys without the prefix). */
  public Map<String, String> options() {
    return options;
  }

  /** The parsed λ ({@code default} replaced by the method's default). */
  public LambdaSpec lambdaSpec() {
    return lambdaSpec;
  }

  /** The default λ of {@code method}, as the command line writes it. */
  public static String defaultLambda(String method) {
    return Method.parse(method).defaultLambda();
  }

  /** The options of a Hessian influence method, or null for other methods. */
  public InfluenceOptions influenceOptions() {
    return parsed instanceof InfluenceOptions o ? o : null;
  }

  /** LoGra's options (logra.* keys, projection.kind and projection.seed), or null for others. */
  public LograOptions lograOptions() {
    return parsed instanceof LograOptions o ? o : null;
  }

  /** RPS's options (rps.* keys), or null for other methods. */
  public RpsOptions rpsOptions() {
    return parsed instanceof RpsOptions o ? o : null;
  }

  /** The Kronecker-factored influence options (if-kfac, if-ekfac), or null for other methods. */
  public dev.ascribe.core.precondition.KfacOptions kfacOptions() {
    return parsed instanceof dev.ascribe.core.precondition.KfacOptions o ? o : null;
  }

  /** The recipe of the method. */
  public Recipe recipe() {
    return definition.recipe(parsed);
  }

  /** How the method preconditions with these options. */
  public PreconditionerSource preconditionerSource() {
    return definition.preconditionerSource(parsed);
  }

  /**
   * The checkpoints this method featurizes, from the models' own: RPS refits each last layer on
   * {@code train} (see {@link RpsRefit}); other methods use them as they are.
   */
  public List<Checkpoint> prepare(List<Checkpoint> checkpoints, Dataset train, int threads) {
    for (Checkpoint c : checkpoints) {
      definition.checkModel(this, c.spec()); // before RPS refits layers the model may not have
    }
    return definition.prepare(this, checkpoints, train, threads);
  }

  /**
   * Whether fitting needs the training rows on the driver: RPS refits each last layer there
   * ({@link #prepare}) and the Hessian influence methods take their curvature products there.
   */
  public boolean needsTrainingRowsOnDriver() {
    return definition.needsTrainingRowsOnDriver();
  }

  /**
   * The projection options, or null when gradients are kept whole (projection.dim = 0) or the
   * method has features of its own ({@link Method#projects()}).
   */
  public ProjectionOptions projection() {
    if (projectionDim == 0 || !definition.projects()) {
      return null;
    }
    return ProjectionOptions.builder().setDim(projectionDim).optKind(projectionKind)
        .optSeed(projectionSeed)
        .optSparsity(projectionKind == ProjectionKind.SJLT ? projectionSparsity : null)
        .optSideDims(projectionOut, projectionIn)
        .optCacheBytes(1L << 30).build();
  }

  /** Largest whole-gradient width a d x d kernel is built for (a 16384² kernel takes 2 GiB). */
  public static final int MAX_KERNEL_DIM = 16384;

  /**
   * Width k of the features this method writes for models of {@code architecture}.
   *
   * @throws IllegalArgumentException when whole gradients would need a kernel too large to hold, or
   *     the method needs layer taps the model does not have
   */
  public int featureDim(ModelSpec architecture) {
    definition.checkModel(this, architecture);
    return definition.featureDim(this, architecture);
  }

  /**
   * The attributor over the given checkpoints, featurizing on up to {@code threads} threads. For
   * RPS the checkpoints must come from {@link #prepare}.
   */
  public InnerProductAttributor create(List<Checkpoint> checkpoints, int threads) {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException("attribution task needs at least one checkpoint");
    }
    featureDim(checkpoints.get(0).spec());
    return definition.create(this, checkpoints, threads);
  }

  /** The task of the methods that explain the run's target, over {@code checkpoints}. */
  AttributionTask task(List<Checkpoint> checkpoints, int threads) {
    return AttributionTask.builder().setCheckpoints(checkpoints).optTarget(target.output())
        .optBatchSize(batchSize).optThreads(threads).build();
  }

  /** The options as a map (for stage fingerprints and provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method());
    m.put("target", target());
    m.put("projection.dim", projectionDim);
    m.put("projection.kind", projectionKind.optionName());
    m.put("projection.seed", projectionSeed);
    if (projectionKind == ProjectionKind.SJLT) {
      // Only sjlt has a sparsity: other kinds keep the map (and stage fingerprints) they had.
      m.put("projection.sparsity", projectionSparsity);
    }
    if (projectionKind == ProjectionKind.FACTORIZED) {
      m.put("projection.out", projectionOut());
      m.put("projection.in", projectionIn());
    }
    m.put("lambda", lambdaSpec.toString());
    if (lambdaDefaulted) {
      // The Hessian methods treat their default λ differently from the same value given.
      m.put(LAMBDA_DEFAULTED, true);
    }
    m.put("batch", batchSize);
    options.forEach((k, v) -> m.put(method() + "." + k, v));
    return m;
  }

  /**
   * Reads {@link #toMap()}'s output back, e.g. from a stage's {@code _ascribe.json} fingerprint
   * (where JSON made every number a double): {@code fromMap(s.toMap())} equals {@code s}. Keys
   * that are not the spec's (models, inputs, partitions) are ignored.
   *
   * @throws IllegalArgumentException naming the key that is missing or has the wrong type
   */
  public static MethodSpec fromMap(Map<String, ?> m) {
    String method = text(m, "method");
    Map<String, String> options = new TreeMap<>();
    String prefix = method + ".";
    m.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        options.put(key.substring(prefix.length()), String.valueOf(value));
      }
    });
    boolean defaulted = Boolean.TRUE.equals(m.get(LAMBDA_DEFAULTED));
    int sparsity = m.containsKey("projection.sparsity") ? whole(m, "projection.sparsity")
        : ProjectionOptions.DEFAULT_SPARSITY;
    int[] out = m.containsKey("projection.out")
        ? OptionSpec.parseDimensions("projection.out", text(m, "projection.out"), true) : null;
    int[] in = m.containsKey("projection.in")
        ? OptionSpec.parseDimensions("projection.in", text(m, "projection.in"), true) : null;
    return new MethodSpec(method, text(m, "target"), whole(m, "projection.dim"),
        ProjectionKind.fromName(text(m, "projection.kind")), wholeLong(m, "projection.seed"),
        sparsity, out, in, defaulted ? DEFAULT_LAMBDA : text(m, "lambda"), whole(m, "batch"),
        options);
  }

  /** The key {@link #toMap()} sets when λ was the method's default. */
  public static final String LAMBDA_DEFAULTED = "lambda.defaulted";

  private static String text(Map<String, ?> m, String key) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("method spec map has " + key + " = " + m.get(key)
        + ": expected a string");
  }

  private static int whole(Map<String, ?> m, String key) {
    return Math.toIntExact(wholeLong(m, key));
  }

  private static long wholeLong(Map<String, ?> m, String key) {
    if (m.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n instanceof Double || n instanceof Float ? (long) n.doubleValue() : n.longValue();
    }
    throw new IllegalArgumentException("method spec map has " + key + " = " + m.get(key)
        + ": expected a whole number");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodSpec m && definition == m.definition && target == m.target
        && projectionDim == m.projectionDim && projectionKind == m.projectionKind
        && projectionSeed == m.projectionSeed && projectionSparsity == m.projectionSparsity
        && Arrays.equals(projectionOut, m.projectionOut)
        && Arrays.equals(projectionIn, m.projectionIn)
        && lambdaSpec.equals(m.lambdaSpec)
        && lambdaDefaulted == m.lambdaDefaulted
        && batchSize == m.batchSize && options.equals(m.options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(definition, target, projectionDim, projectionKind, projectionSeed,
        projectionSparsity, Arrays.hashCode(projectionOut), Arrays.hashCode(projectionIn),
        lambdaSpec, lambdaDefaulted, batchSize, options);
  }

  @Override
  public String toString() {
    return "MethodSpec" + toMap();
  }
}
