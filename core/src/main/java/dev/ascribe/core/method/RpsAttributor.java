package dev.ascribe.core.method;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.feature.FeatureMapKind;
import dev.ascribe.core.feature.FeatureMapOptions;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.task.AttributionTask;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.parallel.IndexedTasks;
import java.util.List;

/**
 * RPS-L2 (Yeh et al., 2018, "Representer Point Selection for Explaining Deep Neural Networks"), as
 * DESIGN.md states it: after the last-layer refit ({@link RpsRefit}),
 *
 * <pre>
 *   τ(z', z_i) = α_{i,y'} · (h̃_iᵀ h̃'),   α_i = -(1/(2λn)) ∂ℓ(z_i)/∂φ(z_i)
 * </pre>
 *
 * with φ the pre-activation of the last layer and h̃ = [h, 1]. This is an inner product of
 * Kronecker features of the last layer, (α_i ⊗ h̃_i)·(e_{y'} ⊗ h̃'); since ∂ℓ/∂φ ⊗ h̃ is the loss
 * gradient of the last layer and e_{y'} ⊗ h̃' that of logit_{y'}, it runs through the template
 * as a last-layer Grad-Dot of the refitted model with the logit of the query's label as the
 * target, every checkpoint weighted 1/(2λn) (several models are averaged). The task's target is
 * therefore not used.
 */
public final class RpsAttributor implements Attributor {
  /** Loss gradients, no preconditioning, refitted checkpoints averaged with their 1/(2λn). */
  public static final Recipe RECIPE = new Recipe(Method.RPS.cliName(),
      ModelOutputs.crossEntropy(), RowWeight.ONE, false, false, Recipe.Combine.WEIGHTED_MEAN);

  private final AttributionTask task;
  private final RpsOptions options;

  /**
   * @throws IllegalArgumentException when the task's loss is not cross-entropy, which the refit
   *     and the representer decomposition are derived for
   */
  public RpsAttributor(AttributionTask task, RpsOptions options) {
    InnerProductAttributor.requireCrossEntropy(task, RECIPE.method(),
        "the refit and the representer decomposition are derived for it");
    this.task = task;
    this.options = options;
  }

  @Override
  public String method() {
    return RECIPE.method();
  }

  /** Refits every checkpoint's last layer on {@code train} (one checkpoint per thread). */
  public static List<Checkpoint> refit(List<Checkpoint> checkpoints, Dataset train,
      RpsOptions options, int batchSize, int threads) {
    return IndexedTasks.runUnchecked(checkpoints.size(), threads,
        c -> RpsRefit.refit(checkpoints.get(c), train, options, batchSize));
  }

  /**
   * The scoring step over checkpoints that {@link #refit} produced (the Spark jobs featurize with
   * it after refitting on the driver).
   */
  public static InnerProductAttributor scorer(List<Checkpoint> refitted, int batchSize,
      int threads) {
    for (Checkpoint c : refitted) {
      if (!RpsRefit.isRefit(c)) {
        throw new IllegalArgumentException("rps scores refitted checkpoints only: " + c
            + " was not refitted (RpsAttributor.refit, or MethodSpec.prepare, does that)");
      }
    }
    AttributionTask task = AttributionTask.builder().setCheckpoints(refitted)
        .optTarget(ModelOutputs.logit()).optBatchSize(batchSize).optThreads(threads).build();
    return new Scorer(task);
  }

  /** Refits on {@code train}, then featurizes it. */
  @Override
  public InnerProductAttributor.Fitted cache(Dataset train) {
    List<Checkpoint> refitted = refit(task.checkpoints(), train, options, task.batchSize(),
        task.threads());
    return scorer(refitted, task.batchSize(), task.threads()).cache(train);
  }

  /** The last layer's identity Kronecker features (h̃ already includes the bias). */
  private static final class Scorer extends InnerProductAttributor {
    Scorer(AttributionTask task) {
      super(task, RECIPE, null, null);
    }

    @Override
    public FeatureMapOptions featureMap(ModelSpec arch) {
      return FeatureMapOptions.builder().optKind(FeatureMapKind.KRONECKER)
          .optFirstLayer(RpsRefit.lastLayer(arch).index()).build();
    }
  }

  /** Width of the features: classes x (h + 1). */
  public static int featureDim(ModelSpec arch) {
    return arch.numClasses() * (RpsRefit.lastLayer(arch).in() + 1);
  }
}
