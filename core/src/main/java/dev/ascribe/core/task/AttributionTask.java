package dev.ascribe.core.task;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.task.ModelOutput;
import dev.ascribe.core.task.ModelOutputs;
import java.util.List;

/**
 * What is being explained (dattri's AttributionTask): the model's parameter sets, the training loss
 * and the query-side measurement (target). Immutable; built with {@link #builder()}.
 *
 * <p>Sign convention (DESIGN.md): scores are helpfulness. The training side uses g_i = ∇ℓ(z_i), the
 * query side g' = -∇f(z') for the target f (margin, or -loss).
 */
public final class AttributionTask {
  private final List<Checkpoint> checkpoints;
  private final ModelOutput loss;
  private final ModelOutput target;
  private final int batchSize;
  private final int threads;

  private AttributionTask(Builder b) {
    this.checkpoints = List.copyOf(b.checkpoints);
    this.loss = b.loss;
    this.target = b.target;
    this.batchSize = b.batchSize;
    this.threads = b.threads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The parameter sets: independently trained models, or epochs of one training run. */
  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  public ModelOutput loss() {
    return loss;
  }

  public ModelOutput target() {
    return target;
  }

  /** Examples per gradient batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Threads that featurize checkpoints at once (one checkpoint per thread). */
  public int threads() {
    return threads;
  }

  /** Builder. */
  public static final class Builder {
    private List<Checkpoint> checkpoints;
    private ModelOutput loss = ModelOutputs.crossEntropy();
    private ModelOutput target = ModelOutputs.margin();
    private int batchSize = 128;
    private int threads = dev.ascribe.core.parallel.IndexedTasks.defaultThreads();

    /** The parameter sets (required, at least one, all of one architecture). */
    public Builder setCheckpoints(List<Checkpoint> checkpoints) {
      this.checkpoints = checkpoints;
      return this;
    }

    /**
     * Training loss, default cross-entropy. The loss-based methods (Grad-Dot, TracIn, Grad-Cos,
     * IF-FIM, LoGra) differentiate it on the training side; TRAK (margin), RPS and the Hessian
     * influence methods are derived for cross-entropy and refuse any other when their attributor
     * is built.
     */
    public Builder optLoss(ModelOutput loss) {
      this.loss = loss;
      return this;
    }

    /** Query-side measurement, default TRAK's margin; or {@link ModelOutputs#negLoss()}. */
    public Builder optTarget(ModelOutput target) {
      this.target = target;
      return this;
    }

    /** Examples per gradient batch, default 128. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Threads featurizing checkpoints at once, default one per core; >= 1. */
    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    public AttributionTask build() {
      if (checkpoints == null || checkpoints.isEmpty()) {
        throw new IllegalArgumentException("attribution task needs at least one checkpoint");
      }
      for (Checkpoint c : checkpoints) {
        if (!c.spec().equals(checkpoints.get(0).spec())) {
          throw new IllegalArgumentException("checkpoint " + c + " has another architecture than "
              + checkpoints.get(0) + ": all checkpoints of a task must share one");
        }
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("task option batch given " + batchSize
            + ": must be >= 1");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("task option threads given " + threads
            + ": must be >= 1");
      }
      return new AttributionTask(this);
    }
  }
}
