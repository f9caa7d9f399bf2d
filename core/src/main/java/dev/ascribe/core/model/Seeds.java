package dev.ascribe.core.model;

/**
 * Derives independent seeds from a base seed and a path of indices (model, epoch, step, layer), so
 * that any piece of a seeded computation can be regenerated alone, in any process.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private Seeds() {}

  /** SplitMix64's finalizer: a bijective 64-bit mix with good avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A seed for the child {@code path} of {@code seed}; distinct paths give unrelated seeds. */
  public static long derive(long seed, long... path) {
    long h = mix64(seed + GOLDEN_GAMMA);
    for (long p : path) {
      h = mix64(h ^ mix64(p + GOLDEN_GAMMA));
    }
    return h;
  }
}
