package dev.ascribe.core.train;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.LooGroundTruth;
import dev.ascribe.core.metric.Subsets;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.core.provenance.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Retraining ground truth for the LOO metric (DESIGN.md, Metrics): the full model θ_S and, for
 * each of {@code count} seeded removed training rows i, a model θ_{S∖{i}}. Training noise is
 * controlled as DESIGN.md asks: every model starts from the same initialization and uses the same
 * seed (shuffle, dropout) and batch order as the full model, the removed row skipped in its batch
 * ({@link SgdTrainer#train(Model, Dataset, boolean[], long, SgdTrainer.EpochListener)}).
 *
 * <p>The full model is model 0 of an attribution run: give {@link TrainingRun#modelSeed}(0) as
 * {@code modelSeed}, and it is bit-identical to that stored model (compare {@link
 * Outputs#parametersSha256} with the stored final epoch's hash). Each model depends only on its
 * index, so any one can be (re)trained alone: one Spark task or one thread. Serializable so that
 * the recipe can be broadcast to those tasks.
 *
 * @param arch the model
 * @param options how every model is trained (the setting's recipe)
 * @param modelSeed the full model's seed, shared by every LOO model
 * @param count K, the number of removed rows (LOO models), ≥ 2
 * @param seed seed of the removed rows' sample
 */
public record LooRetraining(ModelSpec arch, TrainOptions options, long modelSeed, int count,
    long seed) implements Serializable {
  private static final long serialVersionUID = 1L;

  public LooRetraining {
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(options, "options");
    if (count < 2) {
      throw new IllegalArgumentException("groundtruth option loo.count given " + count
          + ": must be >= 2 (LOO correlates over the removed points; DESIGN.md uses >= 100)");
    }
  }

  /**
   * What one model says about the queries.
   *
   * @param logp log p(y'|x') per query
   * @param margin margin per query
   * @param parametersSha256 SHA-256 of the final parameters as {@link
   *     dev.ascribe.core.model.ModelStore} would store them
   */
  public record Outputs(double[] logp, double[] margin, String parametersSha256)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The ground truth and the full model's parameter hash (to check it against model 0).
   *
   * @param truth full and LOO outputs on every query
   * @param fullParametersSha256 SHA-256 of the full model's final parameters
   */
  public record Result(LooGroundTruth truth, String fullParametersSha256) {}

  /**
   * The removed rows of a training set of n rows: {@code count} distinct rows, sorted, a seeded
   * sample ({@link Subsets#sample}) depending only on (seed, n, count).
   *
   * @throws IllegalArgumentException if count exceeds n
   */
  public int[] removedRows(int n) {
    if (count > n) {
      throw new IllegalArgumentException("groundtruth option loo.count given " + count
          + ": must be <= the number of training rows, " + n
          + " (data.train.count); lower loo.count");
    }
    return Subsets.sample(n, count, seed, 0);
  }

  /** Trains the full model on every row of {@code train} and evaluates it on the queries. */
  public Outputs full(Dataset train, Dataset queries, NDManager manager) throws IOException {
    return trainAndEvaluate(train, null, queries, manager);
  }

  /** Trains the model without training row {@code row} and evaluates it on the queries. */
  public Outputs without(int row, Dataset train, Dataset queries, NDManager manager)
      throws IOException {
    if (row < 0 || row >= train.size()) {
      throw new IllegalArgumentException("LOO removed row " + row + " outside [0, "
          + train.size() + ") of " + train.name());
    }
    boolean[] skipped = new boolean[train.size()];
    skipped[row] = true;
    return trainAndEvaluate(train, skipped, queries, manager);
  }

  /**
   * Model {@code index} of the run: 0 is the full model, r + 1 the model without removed row r.
   * This numbering is how tasks (threads or Spark partitions) are handed out.
   */
  public Outputs trainOne(int index, int[] removedRows, Dataset train, Dataset queries,
      NDManager manager) throws IOException {
    return index == 0 ? full(train, queries, manager)
        : without(removedRows[index - 1], train, queries, manager);
  }

  /**
   * The whole ground truth in memory: K + 1 models trained on up to {@code threads} threads of
   * this JVM (the trainer is thread-safe and every model is deterministic in its index).
   */
  public Result groundTruth(Dataset train, Dataset queries, int threads) throws IOException {
    int[] removed = removedRows(train.size());
    List<Outputs> outputs;
    try (NDManager manager = NDManager.newBaseManager()) {
      outputs = IndexedTasks.run(removed.length + 1, threads,
          i -> trainOne(i, removed, train, queries, manager));
    }
    return assemble(removed, train, queries, outputs);
  }

  /**
   * The ground truth from the K + 1 models' outputs, {@code outputs.get(0)} the full model and
   * {@code outputs.get(r + 1)} the model without {@code removed[r]}.
   */
  public static Result assemble(int[] removed, Dataset train, Dataset queries,
      List<Outputs> outputs) {
    if (outputs.size() != removed.length + 1) {
      throw new IllegalArgumentException("LOO: " + outputs.size() + " model outputs for "
          + removed.length + " removed rows: expected the full model and one per removed row");
    }
    long[] removedIds = new long[removed.length];
    double[][] logp = new double[removed.length][];
    double[][] margin = new double[removed.length][];
    for (int r = 0; r < removed.length; r++) {
      removedIds[r] = train.id(removed[r]);
      logp[r] = outputs.get(r + 1).logp();
      margin[r] = outputs.get(r + 1).margin();
    }
    Outputs full = outputs.get(0);
    return new Result(new LooGroundTruth(removedIds, queries.ids(), full.logp(), full.margin(),
        logp, margin), full.parametersSha256());
  }

  private Outputs trainAndEvaluate(Dataset train, boolean[] skipped, Dataset queries,
      NDManager manager) throws IOException {
    try (Model net = arch.initialize(manager, modelSeed)) {
      new SgdTrainer(options).train(net, train, skipped, modelSeed, null);
      double[][] outputs = SubsetRetraining.evaluate(net, queries);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      net.save(bytes);
      return new Outputs(outputs[0], outputs[1], Hashes.sha256(bytes.toByteArray()));
    }
  }
}
