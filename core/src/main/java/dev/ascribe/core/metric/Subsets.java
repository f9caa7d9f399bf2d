package dev.ascribe.core.metric;

import dev.ascribe.core.project.CounterRandom;

import java.util.Arrays;

/**
 * Seeded training subsets for LDS ground truth (DESIGN.md, Metrics): subset {@code j} of a run is
 * a function of {@code (seed, j, n, alpha)} alone, so any one subset can be regenerated on its
 * own, on any machine, in any order, without generating the others (a Spark task trains model
 * {@code j} from nothing but these four values).
 *
 * <p>The algorithm is a stored-data contract, versioned by {@link #FORMAT_VERSION}; changing any
 * step below changes the subsets of existing ground-truth runs and must bump the version.
 *
 * <ol>
 *   <li>{@code k = (int) Math.floor(alpha * n)}, the product evaluated in IEEE-754 double.
 *   <li>A SplitMix64 stream (Steele, Lea and Flood, "Fast splittable pseudorandom number
 *       generators", OOPSLA 2014; the generator behind {@link java.util.SplittableRandom}) whose
 *       state starts at {@code s = mix64(mix64(seed) + GOLDEN_GAMMA * (j + 1))}. Each draw adds
 *       {@code GOLDEN_GAMMA = 0x9E3779B97F4A7C15} to the state and returns {@code mix64(state)},
 *       where {@code mix64(z)} is {@code z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27;
 *       z *= 0x94D049BB133111EB; z ^= z >>> 31} (all arithmetic mod 2^64, {@code >>>} logical).
 *       Hashing {@code (seed, j)} twice puts different subsets at unrelated points of the stream,
 *       so subsets {@code j} and {@code j + 1} do not share draws.
 *   <li>A uniform integer in {@code [0, b)}: take {@code r = draw >>> 1} (63 bits) and {@code v = r
 *       mod b}; accept {@code v} if {@code r - v + b - 1 < 2^63}, otherwise draw again (rejection
 *       of the incomplete last block, so every value is equally likely).
 *   <li>A partial Fisher–Yates shuffle of {@code a = [0, 1, ..., n-1]}: for {@code i = 0 .. k-1},
 *       draw {@code u} uniform in {@code [0, n - i)} and swap {@code a[i]} with {@code a[i + u]}.
 *   <li>The subset is {@code a[0 .. k-1]} sorted ascending.
 * </ol>
 *
 * <p>The generator is written out here rather than borrowed from {@code SplittableRandom} because
 * the JDK does not specify that class's algorithm as a compatibility promise; the tests check
 * that the two still agree.
 */
public final class Subsets {
  /** Version of the subset algorithm above; stored with ground truth and checked by readers. */
  public static final int FORMAT_VERSION = 1;

  static final long GOLDEN_GAMMA = CounterRandom.GOLDEN_GAMMA;

  private Subsets() {}

  /**
   * The size of every subset drawn by {@link #halfSubset}: {@code floor(alpha * n)}.
   *
   * @throws IllegalArgumentException if n &lt; 1, alpha is outside (0, 1], or the size is 0
   */
  public static int size(int n, double alpha) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "subset training-set size n given " + n + ": must be >= 1");
    }
    if (!(alpha > 0.0 && alpha <= 1.0)) {
      throw new IllegalArgumentException(
          "subset fraction alpha given " + alpha + ": must be in (0, 1] (DESIGN.md uses 0.5)");
    }
    int k = (int) Math.floor(alpha * n);
    if (k < 1) {
      throw new IllegalArgumentException(
          "subset fraction alpha given " + alpha + " with n = " + n
              + ": floor(alpha * n) = 0, an empty subset; use alpha >= 1/n");
    }
    return k;
  }

  /**
   * Subset {@code modelIndex} of a ground-truth run: {@code floor(alpha * n)} distinct training
   * row indices in {@code [0, n)}, sorted ascending, drawn by the algorithm in the class
   * documentation from {@code (seed, modelIndex, n, alpha)} alone.
   *
   * @param n number of training rows, ≥ 1
   * @param alpha fraction of rows kept, in (0, 1]; the LDS default is 0.5
   * @param seed the ground-truth run's seed
   * @param modelIndex which subset (and model) of the run, ≥ 0
   * @return sorted, distinct row indices, length {@code floor(alpha * n)}
   * @throws IllegalArgumentException for n &lt; 1, alpha outside (0, 1], an empty subset, or a
   *     negative modelIndex
   */
  public static int[] halfSubset(int n, double alpha, long seed, int modelIndex) {
    return sample(n, size(n, alpha), seed, modelIndex);
  }

  /**
   * {@code k} distinct row indices in {@code [0, n)}, sorted ascending, drawn by steps 2 to 5 of
   * the class documentation from {@code (seed, modelIndex, n, k)} alone: {@link #halfSubset} with
   * the size given directly (the removed points of LOO, the flipped labels of the noisy-label
   * metric).
   *
   * @throws IllegalArgumentException unless 0 &lt;= k &lt;= n and modelIndex &gt;= 0
   */
  public static int[] sample(int n, int k, long seed, int modelIndex) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException(
          "sample of " + k + " rows from " + n + ": must be between 0 and " + n);
    }
    if (modelIndex < 0) {
      throw new IllegalArgumentException(
          "subset modelIndex given " + modelIndex + ": must be >= 0");
    }
    long[] state = {streamStart(seed, modelIndex)};
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + uniform(state, n - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    int[] subset = Arrays.copyOf(a, k);
    Arrays.sort(subset);
    return subset;
  }

  /** Initial SplitMix64 state of subset {@code modelIndex} (step 2). */
  static long streamStart(long seed, int modelIndex) {
    return mix64(mix64(seed) + GOLDEN_GAMMA * (modelIndex + 1L));
  }

  /** One SplitMix64 draw: advances {@code state[0]} and returns the mixed value (step 2). */
  static long nextLong(long[] state) {
    state[0] += GOLDEN_GAMMA;
    return mix64(state[0]);
  }

  /** A uniform integer in {@code [0, bound)}, bound ≥ 1, by rejection (step 3). */
  static int uniform(long[] state, int bound) {
    long r = nextLong(state) >>> 1;
    long v = r % bound;
    // r - v + (bound - 1) overflows (turns negative) exactly when r lies in the incomplete block.
    while (r - v + (bound - 1) < 0) {
      r = nextLong(state) >>> 1;
      v = r % bound;
    }
    return (int) v;
  }

  /** SplitMix64's finalizer (shared with the projections' counter-based generator). */
  static long mix64(long z) {
    return CounterRandom.mix64(z);
  }
}
