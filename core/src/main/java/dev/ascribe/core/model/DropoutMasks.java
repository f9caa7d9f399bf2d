package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Inverted-dropout masks for one forward pass, generated on the JVM from a seed so that training is
 * reproducible and thread-safe (the engine's global random generator is neither).
 *
 * <p>Every gradient and output used for attribution runs with dropout off ({@link #NONE}). The
 * masks also tell the forward pass whether it is a training step ({@link #training()}), which
 * layers other than dropout need (batch normalization uses batch statistics then): a training
 * step's masks say so even at rate 0, where they drop nothing.
 */
public final class DropoutMasks {
  /** Dropout off: inference mode. */
  public static final DropoutMasks NONE = new DropoutMasks(0, 0, false);

  private final double rate;
  private final long seed;
  private final boolean training;

  private DropoutMasks(double rate, long seed, boolean training) {
    this.rate = rate;
    this.seed = seed;
    this.training = training;
  }

  /**
   * A training step's masks, which drop each hidden unit with probability {@code rate} (none at
   * rate 0), derived from {@code seed}.
   */
  public static DropoutMasks seeded(double rate, long seed) {
    return new DropoutMasks(rate, seed, true);
  }

  /** Whether units are dropped (rate above 0). */
  public boolean active() {
    return rate > 0;
  }

  /** Whether the pass is a training step (false for {@link #NONE}: every gradient and output). */
  public boolean training() {
    return training;
  }

  /**
   * The mask for hidden layer {@code layer}: entries 0 or 1/(1-rate), shape {@code shape}, in
   * {@code manager}.
   */
  public NDArray mask(int layer, Shape shape, DataType type, NDManager manager) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, layer));
    int size = (int) shape.size();
    float keep = (float) (1.0 / (1.0 - rate));
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = rng.nextDouble() < rate ? 0f : keep;
    }
    return manager.create(values, shape).toType(type, false);
  }
}
