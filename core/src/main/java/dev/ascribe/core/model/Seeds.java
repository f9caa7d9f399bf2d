package dev.ascribe.core.model;

import dev.ascribe.core.project.CounterRandom;

/**
 * Derives independent seeds from a base seed and a path of indices (model, epoch, step, layer), so
 * that any piece of a seeded computation can be regenerated alone, in any process.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = CounterRandom.GOLDEN_GAMMA;

  private Seeds() {}

  /** A seed for the child {@code path} of {@code seed}; distinct paths give unrelated seeds. */
  public static long derive(long seed, long... path) {
    long h = CounterRandom.mix64(seed + GOLDEN_GAMMA);
    for (long p : path) {
      h = CounterRandom.mix64(h ^ CounterRandom.mix64(p + GOLDEN_GAMMA));
    }
    return h;
  }
}
