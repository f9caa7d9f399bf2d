package dev.ascribe.core.method;

import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.feature.FactorizedDims;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.precondition.InfluenceOptions.Solver;
import dev.ascribe.core.precondition.KfacOptions;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry of attribution methods: every fact about a method lives in its constant (its
 * command-line name, default λ, checkpoint rule, preconditioner source, options and how its options
 * become a recipe and an attributor), so that adding a method is one constant here plus its
 * attributor (and its options class when it has options). {@link MethodSpec} asks this registry;
 * the command line's reference configuration and the Spark ML params are derived from it.
 */
public enum Method {
  /** {@link TrakAttributor}. */
  TRAK("trak", "auto", CheckpointRule.FINAL_EPOCH, PreconditionerSource.FEATURE_KERNEL, true,
      List.of()) {
    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new TrakAttributor(spec.task(checkpoints, threads), TrakOptions.builder()
          .optProjection(spec.projection()).optLambda(spec.lambdaSpec()).build());
    }

    @Override
    Recipe recipe(Serializable options) {
      return TrakAttributor.RECIPE;
    }
  },
  /** {@link GradDotAttributor}. */
  GRAD_DOT("grad-dot", "0", CheckpointRule.FINAL_EPOCH, PreconditionerSource.IDENTITY, true,
      List.of()) {
    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new GradDotAttributor(spec.task(checkpoints, threads), spec.projection());
    }

    @Override
    Recipe recipe(Serializable options) {
      return GradDotAttributor.RECIPE;
    }
  },
  /** {@link FisherInfluenceAttributor}. */
  IF_FIM("if-fim", "auto", CheckpointRule.FINAL_EPOCH, PreconditionerSource.FEATURE_KERNEL, true,
      List.of()) {
    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new FisherInfluenceAttributor(spec.task(checkpoints, threads), spec.projection(),
          spec.lambdaSpec());
    }

    @Override
    Recipe recipe(Serializable options) {
      return FisherInfluenceAttributor.RECIPE;
    }
  },
  /** {@link TracInAttributor}. */
  TRACIN("tracin", "0", CheckpointRule.LISTED_EPOCHS_BY_LEARNING_RATE,
      PreconditionerSource.IDENTITY, true, List.of()) {
    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new TracInAttributor(spec.task(checkpoints, threads), spec.projection());
    }

    @Override
    Recipe recipe(Serializable options) {
      return TracInAttributor.RECIPE;
    }
  },
  /** {@link GradCosAttributor}. */
  GRAD_COS("grad-cos", "0", CheckpointRule.FINAL_EPOCH, PreconditionerSource.IDENTITY, true,
      List.of()) {
    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new GradCosAttributor(spec.task(checkpoints, threads), spec.projection());
    }

    @Override
    Recipe recipe(Serializable options) {
      return GradCosAttributor.RECIPE;
    }
  },
  /**
   * {@link RpsAttributor}: refits each last layer on the training rows ({@link #prepare}), then
   * scores the refitted checkpoints. Its own L2 strength is {@code rps.lambda}.
   */
  RPS("rps", "0", CheckpointRule.FINAL_EPOCH, PreconditionerSource.IDENTITY, false,
      RpsOptions.OPTIONS) {
    @Override
    Serializable parse(Map<String, String> given, LambdaSpec lambda, boolean lambdaDefaulted,
        ProjectionKind kind, long seed) {
      return RpsOptions.parse(given);
    }

    @Override
    public boolean preparesCheckpoints() {
      return true;
    }

    @Override
    List<Checkpoint> prepare(MethodSpec spec, List<Checkpoint> checkpoints, Dataset train,
        int threads) {
      return RpsAttributor.refit(checkpoints, train, spec.rpsOptions(), spec.batchSize(),
          threads);
    }

    @Override
    int featureDim(MethodSpec spec, ModelSpec architecture) {
      return RpsAttributor.featureDim(architecture);
    }

    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return RpsAttributor.scorer(checkpoints, spec.batchSize(), threads);
    }

    @Override
    Recipe recipe(Serializable options) {
      return RpsAttributor.RECIPE;
    }
  },
  /**
   * {@link LograAttributor}: Kronecker features of its own ({@code logra.in/out}, with the run's
   * projection kind and seed); the Fisher inner product preconditions with their kernel.
   */
  LOGRA("logra", "1x", CheckpointRule.FINAL_EPOCH, PreconditionerSource.IDENTITY, false,
      LograOptions.OPTIONS) {
    @Override
    Serializable parse(Map<String, String> given, LambdaSpec lambda, boolean lambdaDefaulted,
        ProjectionKind kind, long seed) {
      return LograOptions.parse(given, kind, seed);
    }

    @Override
    public PreconditionerSource preconditionerSource(Serializable options) {
      return ((LograOptions) options).inner() == LograOptions.Inner.FISHER
          ? PreconditionerSource.FEATURE_KERNEL : PreconditionerSource.IDENTITY;
    }

    @Override
    int featureDim(MethodSpec spec, ModelSpec architecture) {
      int d = LograAttributor.gradientMap(architecture, spec.lograOptions(), 0).outputDim();
      if (spec.recipe().kernel() && d > MethodSpec.MAX_KERNEL_DIM) {
        throw new IllegalArgumentException("options logra.in and logra.out give " + d
            + " Kronecker features on " + architecture.name() + ": the Fisher kernel would be "
            + d + " x " + d + "; choose dimensions whose products sum to at most "
            + MethodSpec.MAX_KERNEL_DIM);
      }
      return d;
    }

    @Override
    InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
      return new LograAttributor(spec.task(checkpoints, threads), spec.lograOptions(),
          spec.lambdaSpec());
    }

    @Override
    Recipe recipe(Serializable options) {
      return LograAttributor.recipe(((LograOptions) options).inner());
    }
  },
  /** {@link HessianInfluenceAttributor} with the explicit inverse. */
  IF_EXPLICIT(Solver.EXPLICIT),
  /** {@link HessianInfluenceAttributor} with conjugate gradients. */
  IF_CG(Solver.CG),
  /** {@link HessianInfluenceAttributor} with LiSSA. */
  IF_LISSA(Solver.LISSA),
  /** {@link HessianInfluenceAttributor} with Arnoldi's low-rank eigendecomposition. */
  IF_ARNOLDI(Solver.ARNOLDI),
  /** {@link KfacInfluenceAttributor}: K-FAC, λ {@value KfacInfluenceAttributor#DEFAULT_LAMBDA}. */
  IF_KFAC(KfacOptions.Variant.KFAC),
  /** {@link KfacInfluenceAttributor}: EK-FAC, λ as for K-FAC. */
  IF_EKFAC(KfacOptions.Variant.EKFAC);

  /** The λ option value that selects the method's own default. */
  public static final String DEFAULT_LAMBDA = "default";

  private final String cliName;
  private final String defaultLambda;
  private final CheckpointRule checkpointRule;
  private final PreconditionerSource preconditioning;
  private final boolean projects;
  private final List<OptionSpec> options;

  Method(String cliName, String defaultLambda, CheckpointRule checkpointRule,
      PreconditionerSource preconditioning, boolean projects, List<OptionSpec> options) {
    this.cliName = cliName;
    this.defaultLambda = defaultLambda;
    this.checkpointRule = checkpointRule;
    this.preconditioning = preconditioning;
    this.projects = projects;
    this.options = List.copyOf(options);
  }

  /** A Kronecker-factored influence method: whole gradients, factors fitted from passes. */
  Method(KfacOptions.Variant variant) {
    this(variant.method(), KfacInfluenceAttributor.DEFAULT_LAMBDA, CheckpointRule.FINAL_EPOCH,
        PreconditionerSource.LAYER_FACTORS, false, KfacOptions.OPTIONS);
  }

  /** A Hessian influence method: its solver's options, λ {@value InfluenceOptions#DEFAULT_LAMBDA}. */
  Method(Solver solver) {
    this(solver.method(), InfluenceOptions.DEFAULT_LAMBDA, CheckpointRule.FINAL_EPOCH,
        PreconditionerSource.TRAINING_DATA, false, solver.options());
  }

  /** The name the command line, the Spark params, provenance and recipes write. */
  public String cliName() {
    return cliName;
  }

  /**
   * λ as {@code lambda = default} means it. TRAK and IF-FIM: {@code auto}, the rule validated
   * against retrained models on the MNIST cases of the README; LoGra's Fisher inner product: the
   * mean non-zero eigenvalue; K-FAC and EK-FAC: {@code auto} on their factored curvature's
   * spectrum; the Hessian influence methods: 0.01 (absolute, raised above negative curvature);
   * other methods: 0 (they have no λ; RPS has its own {@code rps.lambda}).
   */
  public String defaultLambda() {
    return defaultLambda;
  }

  /** Which stored checkpoints the method featurizes. */
  public CheckpointRule checkpointRule() {
    return checkpointRule;
  }

  /** How the method preconditions, given its parsed options. */
  public PreconditionerSource preconditionerSource(Serializable options) {
    return preconditioning;
  }

  /** Whether its features are the gradients projected by the run's projection.* options. */
  public boolean projects() {
    return projects;
  }

  /** Whether it prepares the stored checkpoints on the training rows first ({@link #prepare}). */
  public boolean preparesCheckpoints() {
    return false;
  }

  /**
   * Whether fitting needs the training rows on the driver: to prepare the checkpoints there, or
   * for the Hessian's curvature products.
   */
  public boolean needsTrainingRowsOnDriver() {
    return preparesCheckpoints() || preconditioning == PreconditionerSource.TRAINING_DATA;
  }

  /** Its own options ({@code <cliName>.<name>} keys), with their defaults and docs. */
  public List<OptionSpec> options() {
    return options;
  }

  /**
   * Its typed options from {@code <cliName>.<name>} values, validated (null for a method without
   * options, which then accepts no keys). Here, as in {@link #recipe}, {@link #featureDim} and
   * {@link #create}, the shared body serves the Hessian influence methods (one per solver); the
   * other constants override what differs for them.
   *
   * @param lambda the run's λ, default resolved
   * @param lambdaDefaulted whether λ was left at {@code default}
   * @param kind the run's projection kind
   * @param seed the run's projection seed
   */
  Serializable parse(Map<String, String> given, LambdaSpec lambda, boolean lambdaDefaulted,
      ProjectionKind kind, long seed) {
    if (preconditioning == PreconditionerSource.TRAINING_DATA) {
      return InfluenceOptions.of(cliName, lambda, lambdaDefaulted, given);
    }
    if (preconditioning == PreconditionerSource.LAYER_FACTORS) {
      return KfacOptions.parse(kfacVariant(), given);
    }
    OptionSpec.withDefaults(cliName, options, given);
    return null;
  }

  /** The K-FAC variant of a {@link PreconditionerSource#LAYER_FACTORS} constant. */
  private KfacOptions.Variant kfacVariant() {
    for (KfacOptions.Variant v : KfacOptions.Variant.values()) {
      if (v.method().equals(cliName)) {
        return v;
      }
    }
    throw new IllegalStateException(cliName + " is not a Kronecker-factored method");
  }

  /**
   * The recipe, from its parsed options (every constant but the Hessian and Kronecker-factored
   * ones overrides it).
   */
  Recipe recipe(Serializable options) {
    if (preconditioning == PreconditionerSource.LAYER_FACTORS) {
      return KfacInfluenceAttributor.recipe(cliName);
    }
    return HessianInfluenceAttributor.recipe((InfluenceOptions) options);
  }

  /** The checkpoints it featurizes, from the stored ones (the same list unless it prepares). */
  List<Checkpoint> prepare(MethodSpec spec, List<Checkpoint> checkpoints, Dataset train,
      int threads) {
    return checkpoints;
  }

  /**
   * Width k of its features for models of {@code architecture}.
   *
   * @throws IllegalArgumentException when whole gradients would need a kernel too large to hold
   */
  int featureDim(MethodSpec spec, ModelSpec architecture) {
    if (preconditioning == PreconditionerSource.TRAINING_DATA) {
      return spec.influenceOptions().featureDim(architecture);
    }
    int d = architecture.numParameters();
    if (preconditioning == PreconditionerSource.LAYER_FACTORS) {
      return d; // whole gradients: the factors precondition them layer by layer
    }
    if (spec.projectionDim() == 0 && spec.recipe().kernel() && d > MethodSpec.MAX_KERNEL_DIM) {
      throw new IllegalArgumentException("option projection.dim given 0 (whole gradients) for "
          + cliName + " on " + architecture.name() + " with " + d + " parameters: its kernel"
          + " would be " + d + " x " + d + "; give projection.dim between 1 and "
          + MethodSpec.MAX_KERNEL_DIM);
    }
    if (spec.projectionDim() > MethodSpec.MAX_KERNEL_DIM && spec.recipe().kernel()) {
      throw new IllegalArgumentException("option projection.dim given " + spec.projectionDim()
          + " for " + cliName + ": its kernel would be " + spec.projectionDim() + " x "
          + spec.projectionDim() + "; give projection.dim between 1 and "
          + MethodSpec.MAX_KERNEL_DIM);
    }
    ProjectionOptions projection = spec.projection();
    if (projection != null && projection.kind() == ProjectionKind.FACTORIZED) {
      // Fails now, naming the option, if the model or the side dimensions do not fit it.
      FactorizedDims.of(architecture, projection.dim(), projection.outDims(),
          projection.inDims());
    }
    return spec.projectionDim() == 0 ? d : spec.projectionDim();
  }

  /**
   * Refuses a model this method cannot attribute: the Kronecker-factored influence methods and the
   * factorized projection work on the (a, δ) of tapped layers, so they need a model whose tapped
   * layers, each with a bias, hold every parameter; an imported TorchScript module has none. LoGra
   * covers the tapped layers, whatever else the model has; RPS refits the last layer, which must
   * be a tapped linear map with a bias producing the logits. The Hessian methods take any
   * classifier with the Gauss-Newton curvature, and the exact Hessian where its products are
   * written ({@code <method>.curvature}).
   *
   * @throws IllegalArgumentException naming the method and the model
   */
  void checkModel(MethodSpec spec, ModelSpec architecture) {
    if (this == LOGRA && !architecture.tappedLayers().isEmpty()) {
      return;
    }
    if (this == RPS && !architecture.tappedLayers().isEmpty()) {
      RpsRefit.lastLayer(architecture);
      return;
    }
    if (preconditioning == PreconditionerSource.TRAINING_DATA) {
      InfluenceOptions influence = spec.influenceOptions();
      influence.curvature(architecture); // refuses hessian where its products are not written
      influence.firstLayer(architecture); // refuses layers = last without tapped layers
      return;
    }
    if (architecture.tapsCoverParameters()) {
      return;
    }
    ProjectionOptions projection = spec.projection();
    String needs = preconditioning == PreconditionerSource.LAYER_FACTORS || this == RPS
        || this == LOGRA
        ? "method " + cliName
        : projection != null && projection.kind() == ProjectionKind.FACTORIZED
            ? "projection.kind factorized" : null;
    if (needs != null) {
      throw new IllegalArgumentException(needs + " needs a model whose layers are tapped (their"
          + " inputs and output gradients) and cover every parameter: model "
          + architecture.name() + " (model.kind " + architecture.kind().id() + ") has "
          + architecture.tappedLayers().size() + " tapped layers; use trak, grad-dot, grad-cos"
          + " or if-fim with projection.kind sjlt, gaussian or rademacher, or if-cg, if-lissa,"
          + " if-arnoldi or if-explicit (Gauss-Newton curvature)");
    }
  }

  /**
   * The attributor over {@code checkpoints} (prepared ones when it prepares); every constant but
   * the Hessian and Kronecker-factored ones overrides it.
   */
  InnerProductAttributor create(MethodSpec spec, List<Checkpoint> checkpoints, int threads) {
    if (preconditioning == PreconditionerSource.LAYER_FACTORS) {
      return new KfacInfluenceAttributor(spec.task(checkpoints, threads), spec.kfacOptions(),
          spec.lambdaSpec());
    }
    return new HessianInfluenceAttributor(spec.task(checkpoints, threads),
        spec.influenceOptions());
  }

  /** The method written {@code name} on the command line. */
  public static Method parse(String name) {
    for (Method m : values()) {
      if (m.cliName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("option method given " + name + ": expected one of "
        + String.join(", ", names()));
  }

  /** Every method's command-line name, in registry order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Method::cliName).collect(Collectors.toList());
  }

  @Override
  public String toString() {
    return cliName;
  }
}
