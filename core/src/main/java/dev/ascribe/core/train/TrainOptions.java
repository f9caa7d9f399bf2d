package dev.ascribe.core.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable options of {@link SgdTrainer}: minibatch SGD with (PyTorch-style) momentum, or Adam
 * ({@link Optimizer}).
 * Built with {@link #builder()}; {@code build()} validates every field. Serializable so that
 * Spark tasks can receive it.
 */
public final class TrainOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Optimizer optimizer;
  private final double learningRate;
  private final double momentum;
  private final int batchSize;
  private final int epochs;

  private TrainOptions(Builder b) {
    this.optimizer = b.optimizer;
    this.learningRate = b.learningRate;
    this.momentum = b.momentum;
    this.batchSize = b.batchSize;
    this.epochs = b.epochs;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public double learningRate() {
    return learningRate;
  }

  public double momentum() {
    return momentum;
  }

  public int batchSize() {
    return batchSize;
  }

  public int epochs() {
    return epochs;
  }

  /**
   * The options as a JSON-friendly map (for provenance and model.json). SGD's map is the one
   * written before Adam existed, so stored models stay reusable; Adam's records its constants in
   * place of the momentum it ignores.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", optimizer.id());
    m.put("lr", learningRate);
    if (optimizer == Optimizer.SGD) {
      m.put("momentum", momentum);
    } else {
      m.put("beta1", Optimizer.BETA1);
      m.put("beta2", Optimizer.BETA2);
      m.put("eps", Optimizer.EPSILON);
    }
    m.put("batch", batchSize);
    m.put("epochs", epochs);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainOptions t && t.toMap().equals(toMap());
  }

  @Override
  public int hashCode() {
    return Objects.hash(optimizer, learningRate, momentum, batchSize, epochs);
  }

  @Override
  public String toString() {
    return toMap().toString();
  }

  /** Builder; defaults are DESIGN.md's MNIST settings except {@code epochs}, which is required. */
  public static final class Builder {
    private Optimizer optimizer = Optimizer.SGD;
    private double learningRate = 0.01;
    private double momentum = 0.9;
    private int batchSize = 64;
    private int epochs = -1;

    /** The update rule, default {@link Optimizer#SGD}. */
    public Builder optOptimizer(Optimizer optimizer) {
      this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** Learning rate, default 0.01; must be > 0. */
    public Builder optLearningRate(double lr) {
      this.learningRate = lr;
      return this;
    }

    /** Momentum of {@link Optimizer#SGD}, default 0.9; in [0, 1). Adam ignores it. */
    public Builder optMomentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Minibatch size, default 64; >= 1. The last batch of an epoch may be smaller. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Number of epochs (required); >= 1. */
    public Builder setEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public TrainOptions build() {
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException(
            "train option lr given " + learningRate + ": must be a finite number > 0");
      }
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException(
            "train option momentum given " + momentum + ": must be in [0, 1)");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "train option batch given " + batchSize + ": must be >= 1");
      }
      if (epochs < 1) {
        throw new IllegalArgumentException(
            "train option epochs given " + epochs + ": must be >= 1 (it has no default)");
      }
      return new TrainOptions(this);
    }
  }
}
