package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.feature.Featurizer;
import dev.ascribe.core.feature.FeatureMapOptions;
import dev.ascribe.core.feature.FeatureMaps;
import dev.ascribe.core.feature.GradientMap;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.linalg.Factorized;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.precondition.GramFit;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.precondition.PartitionFit;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.precondition.SpectralPreconditioner;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one featurize → precondition → inner-product path behind TRAK, Grad-Dot and their relatives
 * (see {@link Recipe}). Methods differ only in their recipe and options; the Spark jobs run the same
 * three steps ({@link Featurizer}, {@link Preconditioner}, {@link ScoreBlock}) per partition.
 */
public class InnerProductAttributor implements Attributor {
  private final AttributionTask task;
  private final Recipe recipe;
  private final ProjectionOptions projection;
  private final LambdaSpec lambda;
  private final ModelOutput trainOutput;

  /**
   * @param projection projection options (the seed is the base: checkpoint c uses a seed derived
   *     from it and c), or null to use full gradients
   * @param lambda the damping of the kernel K_c = (1/n) Φ_cᵀΦ_c + λI for methods whose source is
   *     {@link PreconditionerSource#FEATURE_KERNEL}; null for the others
   * @throws IllegalArgumentException when the task's loss is not cross-entropy and the recipe's
   *     training side is not the loss (it would be ignored)
   */
  protected InnerProductAttributor(AttributionTask task, Recipe recipe,
      ProjectionOptions projection, LambdaSpec lambda) {
    this.task = task;
    this.recipe = recipe;
    this.projection = projection;
    this.lambda = lambda;
    this.trainOutput = trainOutput(task, recipe);
  }

  /**
   * The training side of a recipe under a task: the task's loss where the recipe differentiates
   * the loss, else the recipe's own function (TRAK's margin), which only the default loss suits.
   */
  private static ModelOutput trainOutput(AttributionTask task, Recipe recipe) {
    boolean lossSide = recipe.trainOutput().name().equals(CROSS_ENTROPY);
    if (isCrossEntropy(task)) {
      return recipe.trainOutput();
    }
    if (!lossSide) {
      throw new IllegalArgumentException(recipe.method() + " differentiates "
          + recipe.trainOutput().name() + " on the training side, not the loss: task loss given "
          + task.loss().name() + " would be ignored; leave the loss at " + CROSS_ENTROPY);
    }
    return task.loss();
  }

  private static final String CROSS_ENTROPY = ModelOutputs.crossEntropy().name();

  private static boolean isCrossEntropy(AttributionTask task) {
    return task.loss().name().equals(CROSS_ENTROPY);
  }

  /**
   * Refuses a task whose loss is not cross-entropy, for a method whose other steps (curvature,
   * refit) are derived for cross-entropy.
   *
   * @param why what in the method takes cross-entropy
   */
  static void requireCrossEntropy(AttributionTask task, String method, String why) {
    if (!isCrossEntropy(task)) {
      throw new IllegalArgumentException(method + " takes the loss " + CROSS_ENTROPY + " only ("
          + why + "): task loss given " + task.loss().name() + "; leave the loss at "
          + CROSS_ENTROPY);
    }
  }

  /**
   * The function differentiated on the training side: the task's loss for the loss-based
   * recipes, else the recipe's (TRAK's margin).
   */
  public ModelOutput trainOutput() {
    return trainOutput;
  }

  @Override
  public String method() {
    return recipe.method();
  }

  public AttributionTask task() {
    return task;
  }

  public Recipe recipe() {
    return recipe;
  }

  /** The damping λ of the kernel, as given (e.g. {@code auto}); null for methods without one. */
  public LambdaSpec lambda() {
    return lambda;
  }

  /** The projection of checkpoint {@code c}'s whole gradients, or null for full gradients. */
  public Projection projection(int c) {
    return FeatureMaps.projection(projection,
        task.checkpoints().get(c).spec().numParameters(), c);
  }

  /**
   * Which feature map models of {@code arch} use: whole gradients, projected unless the projection
   * is null. Methods with another feature map (LoGra, RPS, IF-explicit) override this.
   */
  public FeatureMapOptions featureMap(ModelSpec arch) {
    return FeatureMapOptions.builder().optProjection(projection).build();
  }

  /** How checkpoint {@code c}'s gradients become features ({@link #featureMap}). */
  public final GradientMap gradientMap(int c) {
    ModelSpec arch = task.checkpoints().get(c).spec();
    return FeatureMaps.create(featureMap(arch), arch, c);
  }

  /** A featurizer for checkpoint {@code c} (close it after use). */
  public Featurizer featurizer(int c) {
    return new Featurizer(c, task.checkpoints().get(c), gradientMap(c), task.batchSize());
  }

  /** Checkpoint coefficients a_c of the recipe. */
  public double[] coefficients() {
    double[] a = new double[task.checkpoints().size()];
    for (int c = 0; c < a.length; c++) {
      double weight = task.checkpoints().get(c).weight();
      a[c] = switch (recipe.combine()) {
        case MEAN -> 1.0 / a.length;
        case WEIGHTED_SUM -> weight;
        case WEIGHTED_MEAN -> weight / a.length;
      };
    }
    return a;
  }

  /** Training-side features of checkpoint c (normalized for Grad-Cos). */
  public FeatureMatrix trainFeatures(Featurizer f, Dataset data, int[] rows) {
    FeatureMatrix m = f.featurize(data, rows, trainOutput, 1f);
    if (recipe.normalize()) {
      m.normalizeRows();
    }
    return m;
  }

  /** Query-side features g' = -P ∇f(z') of checkpoint c (normalized for Grad-Cos). */
  public FeatureMatrix queryFeatures(Featurizer f, Dataset queries) {
    FeatureMatrix m = f.featurize(queries, task.target(), -1f);
    if (recipe.normalize()) {
      m.normalizeRows();
    }
    return m;
  }

  /**
   * Where this method's preconditioner comes from: a kernel fitted from the training features when
   * the recipe has one, else the identity; the Hessian methods override this.
   */
  public PreconditionerSource preconditionerSource() {
    return recipe.kernel() ? PreconditionerSource.FEATURE_KERNEL : PreconditionerSource.IDENTITY;
  }

  /**
   * What {@link PreconditionerSource#FEATURE_KERNEL} fits per checkpoint from feature blocks: the
   * Gram sums, merged across partitions by Spark ({@link PartitionFit}).
   */
  public PartitionFit.Factory<GramFit> fitFactory() {
    return GramFit::new;
  }

  /** The fit of one checkpoint's whole training feature matrix (the in-memory path). */
  public Kernel fit(FeatureMatrix trainFeatures) {
    return fitFactory().create(trainFeatures.k()).accumulate(trainFeatures).finish();
  }

  /**
   * The preconditioner of checkpoint {@code c}: the one place where the method's {@link
   * #preconditionerSource()} is turned into K_c⁻¹, for the in-memory API, Spark and the jobs.
   *
   * @param kernel checkpoint c's fitted kernel ({@link #fit(FeatureMatrix)}, or the partition fits
   *     merged on Spark); used by {@link PreconditionerSource#FEATURE_KERNEL} only, else may be null
   * @param train the training examples; used by {@link PreconditionerSource#TRAINING_DATA} and
   *     {@link PreconditionerSource#LAYER_FACTORS} only, else may be null
   */
  public Preconditioner precondition(int c, Kernel kernel, Dataset train) {
    return choose(c, train, () -> KernelPreconditioner.fit(required(kernel, "fitted kernel"),
        required(lambda, "lambda")));
  }

  /**
   * The kernel preconditioner of a {@link PreconditionerSource#FEATURE_KERNEL} method from one
   * checkpoint's whole training features through their spectrum, for k > n ({@link
   * FeatureSpectrum#dualIsSmaller}): the n x n dual matrix is eigendecomposed, never the k x k
   * kernel. Scores equal the kernel route's up to rounding.
   */
  public Preconditioner dualKernel(FeatureMatrix trainFeatures) {
    if (preconditionerSource() != PreconditionerSource.FEATURE_KERNEL) {
      throw new IllegalStateException(recipe.method() + " has no feature kernel: its source is "
          + preconditionerSource());
    }
    return SpectralPreconditioner.fit(trainFeatures, required(lambda, "lambda"));
  }

  /**
   * As {@link #precondition(int, Kernel, Dataset)} from a factorization stored by an earlier run
   * (a reused kernel stage): nothing is refitted.
   *
   * @param stored checkpoint c's stored factorization; used by {@link
   *     PreconditionerSource#FEATURE_KERNEL} only, else may be null
   */
  public Preconditioner restore(int c, Factorized stored, Dataset train) {
    return choose(c, train, () -> KernelPreconditioner.of(required(stored,
        "stored factorization"), required(lambda, "lambda")));
  }

  private Preconditioner choose(int c, Dataset train, Supplier<Preconditioner> kernel) {
    return switch (preconditionerSource()) {
      case IDENTITY -> Preconditioner.identity();
      case FEATURE_KERNEL -> kernel.get();
      case TRAINING_DATA -> fromTrainingData(c, required(train, "training set on the driver"
          + " (for its Hessian-vector products)"));
      case LAYER_FACTORS -> fromLayerFactors(c, required(train, "training set (for the passes"
          + " that fit its factors)"));
    };
  }

  /**
   * The in-memory fit of a {@link PreconditionerSource#LAYER_FACTORS} method's preconditioner
   * over the whole training set (Spark fits the same factors per partition); the methods that
   * declare that source override this.
   */
  protected Preconditioner fromLayerFactors(int c, Dataset train) {
    throw new IllegalStateException(recipe.method() + " does not fit layer factors: its source"
        + " is " + preconditionerSource());
  }

  /**
   * The preconditioner of a {@link PreconditionerSource#TRAINING_DATA} method; the methods that
   * declare that source override this.
   */
  protected Preconditioner fromTrainingData(int c, Dataset train) {
    throw new IllegalStateException(recipe.method() + " does not precondition from the training"
        + " data: its source is " + preconditionerSource());
  }

  private <T> T required(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(recipe.method() + " needs the " + what + " for its "
          + preconditionerSource() + " preconditioner: given null");
    }
    return value;
  }

  /**
   * Featurizes the training set per checkpoint and fits the preconditioners. Features too large
   * to hold ({@link TrainingFeatures}) are not kept when the preconditioner does not need them
   * (every source but the feature kernel): scoring then featurizes them again, block by block.
   */
  @Override
  public Fitted cache(Dataset train) {
    int numCheckpoints = task.checkpoints().size();
    int[] rows = dev.ascribe.core.model.Inputs.range(0, train.size());
    boolean fits = preconditionerSource() == PreconditionerSource.FEATURE_KERNEL;
    if (!fits && TrainingFeatures.tooLargeToHold(numCheckpoints, rows.length,
        gradientMap(0).outputDim())) {
      List<Preconditioner> kernels = new ArrayList<>();
      for (int c = 0; c < numCheckpoints; c++) {
        kernels.add(precondition(c, null, train));
      }
      return new Fitted(TrainingFeatures.streamed(c -> trainingFeaturizer(c, train),
          numCheckpoints, rows.length, task.batchSize()), kernels);
    }
    List<FeatureMatrix> features = IndexedTasks.runUnchecked(numCheckpoints,
        task.threads(), c -> {
          try (Featurizer f = featurizer(c)) {
            return trainFeatures(f, train, rows);
          }
        });
    List<Preconditioner> kernels = new ArrayList<>();
    for (int c = 0; c < features.size(); c++) {
      FeatureMatrix f = features.get(c);
      kernels.add(fits && FeatureSpectrum.dualIsSmaller(f.size(), f.k()) ? dualKernel(f)
          : precondition(c, fits ? fit(f) : null, train));
    }
    return new Fitted(TrainingFeatures.held(features), kernels);
  }

  /** Checkpoint c's featurizer of the training side, for streamed training features. */
  private TrainingFeatures.Opened trainingFeaturizer(int c, Dataset train) {
    Featurizer f = featurizer(c);
    return new TrainingFeatures.Opened() {
      @Override
      public FeatureMatrix featurize(int[] rows) {
        return trainFeatures(f, train, rows);
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }

  /**
   * The cached training side: features and preconditioner per checkpoint. Its steps are public
   * so that a job can store each intermediate result (features, kernels, scores) on the way.
   */
  public final class Fitted implements FittedAttributor {
    private final TrainingFeatures features;
    private final List<Preconditioner> kernels;

    Fitted(TrainingFeatures features, List<Preconditioner> kernels) {
      this.features = features;
      this.kernels = List.copyOf(kernels);
    }

    /**
     * Training features, one matrix per checkpoint; featurized again at each call where they
     * were too large to hold (n·k floats per checkpoint).
     */
    public List<FeatureMatrix> features() {
      return features.all();
    }

    /** Preconditioners K_c⁻¹, one per checkpoint. */
    public List<Preconditioner> preconditioners() {
      return kernels;
    }

    /** Query features g'_c, one matrix per checkpoint. */
    public List<FeatureMatrix> queryFeatures(Dataset queries) {
      return IndexedTasks.runUnchecked(features.numCheckpoints(), task.threads(), c -> {
        try (Featurizer f = featurizer(c)) {
          return InnerProductAttributor.this.queryFeatures(f, queries);
        }
      });
    }

    /** Scores of the cached training rows against already featurized queries. */
    public ScoreMatrix score(List<FeatureMatrix> queryFeatures) {
      int m = queryFeatures.get(0).size();
      double[] coefficients = coefficients();
      PartialScores partial = new PartialScores(m, features.numCheckpoints(), recipe.weight());
      for (int c = 0; c < features.numCheckpoints(); c++) {
        FeatureMatrix q = queryFeatures.get(c);
        float[] preconditioned = kernels.get(c).apply(q.phi(), q.size());
        double coefficient = coefficients[c];
        features.forEachBlock(c, partial.rowsPerProduct(q.k()),
            block -> partial.add(block, preconditioned, coefficient));
      }
      return partial.toScoreMatrix(queryFeatures.get(0).ids());
    }

    /**
     * Self-influence of every cached training example (see {@link SelfInfluence}), in the order
     * of the training rows; ids as in {@link #features()}.
     */
    public float[] selfInfluence() {
      double[] coefficients = coefficients();
      PartialScores sums = new PartialScores(1, features.numCheckpoints(), recipe.weight());
      for (int c = 0; c < features.numCheckpoints(); c++) {
        Preconditioner kernel = kernels.get(c);
        double coefficient = coefficients[c];
        features.forEachBlock(c, sums.rowsPerProduct(gradientMap(c).outputDim()),
            block -> SelfInfluence.add(sums, SelfInfluence.marginFeatures(recipe), kernel,
                block, coefficient));
      }
      List<PartialScores.Row> rows = sums.complete();
      float[] out = new float[rows.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = rows.get(i).scores()[0];
      }
      return out;
    }

    @Override
    public ScoreMatrix attribute(Dataset queries) {
      return score(queryFeatures(queries));
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", recipe.method());
      m.put("train_output", trainOutput.name());
      m.put("target", task.target().name());
      m.put("checkpoints", task.checkpoints().stream().map(Checkpoint::name).toList());
      m.put("projection", projection == null ? "none" : projection.toMap());
      m.put("features", gradientMap(0).describe());
      List<Map<String, Object>> k = new ArrayList<>();
      kernels.forEach(p -> k.add(p.describe()));
      m.put("preconditioners", k);
      return m;
    }
  }
}
