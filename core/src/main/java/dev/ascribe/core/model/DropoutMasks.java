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
 * <p>Every gradient and output used for attribution runs with dropout off ({@link #NONE}).
 */
public final class DropoutMasks {
  /** Dropout off: inference mode. */
  public static final DropoutMasks NONE = new DropoutMasks(0, 0);

  private final double rate;
  private final long seed;

  private DropoutMasks(double rate, long seed) {
    this.rate = rate;
    this.seed = seed;
  }

  /** Masks that drop each hidden unit with probability {@code rate}, derived from {@code seed}. */
  public static DropoutMasks seeded(double rate, long seed) {
    return rate == 0 ? NONE : new DropoutMasks(rate, seed);
  }

  public boolean active() {
    return rate > 0;
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
