package dev.ascribe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.metric.Subsets;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Seeds;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

/**
 * Retraining ground truth for LDS (DESIGN.md, Metrics): model j is trained on the seeded subset
 * S_j of ⌊αn⌋ training rows and evaluated on every query. Each model depends only on (seed, j), so
 * any one can be (re)computed alone: one Spark task per model, or one thread. Serializable so
 * that the recipe can be broadcast to those tasks.
 *
 * @param arch the model
 * @param options how every subset model is trained (the setting's recipe)
 * @param models number of subset models M
 * @param alpha subset fraction α
 * @param seed base seed of subsets and model seeds
 */
public record SubsetRetraining(ModelSpec arch, TrainOptions options, int models, double alpha,
    long seed) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SubsetRetraining {
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(options, "options");
    if (models < 2) {
      throw new IllegalArgumentException(
          "groundtruth option models given " + models + ": must be >= 2 (LDS correlates over them)");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(
          "groundtruth option alpha given " + alpha + ": must be in (0, 1)");
    }
  }

  /**
   * What one subset model says about the queries.
   *
   * @param modelId j
   * @param subsetRows the training rows of S_j (sorted)
   * @param subsetIds their example ids
   * @param queryIds the queries' ids
   * @param logp log p(y'|x') per query
   * @param margin margin per query
   */
  public record Outcome(int modelId, int[] subsetRows, long[] subsetIds, long[] queryIds,
      double[] logp, double[] margin) {}

  /** The rows of subset j of a training set of n rows. */
  public int[] subsetRows(int n, int j) {
    return Subsets.halfSubset(n, alpha, seed, j);
  }

  /** Trains subset model j on {@code train} and evaluates it on {@code queries}. */
  public Outcome trainOne(int j, Dataset train, Dataset queries, NDManager manager)
      throws IOException {
    if (j < 0 || j >= models) {
      throw new IllegalArgumentException("ground-truth model " + j + " outside [0, " + models + ")");
    }
    int[] rows = subsetRows(train.size(), j);
    Dataset subset = train.select(rows, train.name() + "/subset-" + j);
    long modelSeed = Seeds.derive(seed, j);
    try (Model net = arch.initialize(manager, modelSeed)) {
      new SgdTrainer(options).train(net, subset, modelSeed, null);
      double[][] outputs = evaluate(net, queries);
      return new Outcome(j, rows, subset.ids(), queries.ids(), outputs[0], outputs[1]);
    }
  }

  /** log p_y and margin of every query, computed in float64 from the logits. */
  static double[][] evaluate(Model net, Dataset queries) {
    try (NDManager scope = net.manager().newSubManager();
        Autograd.Scope noGrad = Autograd.gradMode(false)) {
      NDArray x = Inputs.features(queries, Inputs.range(0, queries.size()), scope);
      NDArray logits = net.logits(x).toType(DataType.FLOAT64, false);
      NDArray oneHot = net.targets(x, queries.labels(), DataType.FLOAT64);
      return new double[][] {
        ModelOutputs.negLoss().perExample(logits, oneHot).toDoubleArray(),
        ModelOutputs.margin().perExample(logits, oneHot).toDoubleArray()
      };
    }
  }
}
