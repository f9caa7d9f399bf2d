package dev.ascribe.core.train;

import java.util.Arrays;
import java.util.List;

/**
 * The update rules {@link SgdTrainer} applies (option {@code train.optimizer}), both as PyTorch
 * writes them:
 *
 * <ul>
 *   <li>{@link #SGD}: v ← μ v + g; θ ← θ − η v (momentum μ = {@code train.momentum}).
 *   <li>{@link #ADAM}: m ← β₁ m + (1 − β₁) g; s ← β₂ s + (1 − β₂) g²; θ ← θ − η m̂ / (√ŝ + ε)
 *       with m̂ = m / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ) at step t, and PyTorch's defaults
 *       β₁ = {@value #BETA1}, β₂ = {@value #BETA2}, ε = {@value #EPSILON} (Kingma and Ba, 2015).
 * </ul>
 */
public enum Optimizer {
  SGD("sgd"),
  ADAM("adam");

  /** Adam's first-moment decay β₁. */
  public static final double BETA1 = 0.9;
  /** Adam's second-moment decay β₂. */
  public static final double BETA2 = 0.999;
  /** Adam's ε, added to √ŝ. */
  public static final double EPSILON = 1e-8;

  private final String id;

  Optimizer(String id) {
    this.id = id;
  }

  /** The name in configurations and model.json. */
  public String id() {
    return id;
  }

  /** The optimizer named {@code id}; an IllegalArgumentException naming the option otherwise. */
  public static Optimizer of(String id) {
    for (Optimizer o : values()) {
      if (o.id.equals(id)) {
        return o;
      }
    }
    List<String> ids = Arrays.stream(values()).map(Optimizer::id).toList();
    throw new IllegalArgumentException("train option optimizer given " + id + ": expected "
        + String.join(" or ", ids));
  }
}
