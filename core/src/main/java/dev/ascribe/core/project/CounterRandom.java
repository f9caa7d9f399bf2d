package dev.ascribe.core.project;

/**
 * A stateless counter-based random generator: every value is a pure function of (seed, block,
 * counter), so any process can regenerate any block of a projection without replaying a stream.
 *
 * <p>Definition (part of projection format version {@value DenseProjection#FORMAT_VERSION};
 * changing any of it changes every stored feature):
 *
 * <ul>
 *   <li>{@code mix64} is the SplitMix64 finalizer (Stafford's variant 13).
 *   <li>{@code key(seed, b) = mix64(mix64(seed) + (b + 1) * GOLDEN_GAMMA)}: the block keys are the
 *       SplitMix64 sequence started from {@code mix64(seed)}.
 *   <li>{@code bits(key, c) = mix64(key + (c + 1) * GOLDEN_GAMMA)}: counter {@code c} of a block is
 *       the {@code c}-th output of SplitMix64 started from the block key.
 *   <li>{@code uniform(x) = ((x >>> 12) + 0.5) * 2^-52}, exactly representable and strictly inside
 *       (0, 1): the smallest value is 2^-53, the largest 1 - 2^-53.
 *   <li>Gaussian (Box–Muller): counters {@code 2p} and {@code 2p + 1} form pair {@code p}; with
 *       {@code u1 = uniform(bits(key, 2p))}, {@code u2 = uniform(bits(key, 2p + 1))} and {@code R =
 *       sqrt(-2 StrictMath.log(u1))}, value {@code 2p} is {@code R cos(2 pi u2)} and value {@code
 *       2p + 1} is {@code R sin(2 pi u2)}, with cos and sin computed by {@link #cos2pi} and {@link
 *       #sin2pi}.
 *   <li>Rademacher: value {@code c} is {@code +1} if bit {@code c mod 64} of {@code bits(key, c /
 *       64)} is 0 and {@code -1} if it is 1, so one 64-bit output gives 64 signs.
 * </ul>
 *
 * <p>Only IEEE-754 arithmetic, {@code Math.sqrt} (correctly rounded) and {@code StrictMath.log}
 * (fdlibm) are used, so the values are bit-identical on every JVM and CPU. {@code Math.sin}/{@code
 * Math.cos} are avoided because the JVM may use platform intrinsics that differ by an ulp.
 */
public final class CounterRandom {
  /** The SplitMix64 increment, 2^64 / golden ratio, odd. */
  public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private static final double TWO_POW_MINUS_52 = 0x1.0p-52;
  private static final double HALF_PI = Math.PI / 2;
  // cos(q pi/2 + a) = COS_SIGN[q] * (q odd ? sin a : cos a); sin likewise. Tables avoid branches
  // that a random quarter would mispredict half the time.
  private static final double[] COS_SIGN = {1, -1, -1, 1};
  private static final double[] SIN_SIGN = {1, 1, -1, -1};
  // Taylor coefficients on [-pi/4, pi/4]: truncation error below 5e-17 (sin) and 3e-18 (cos).
  private static final double S3 = -1.0 / 6;
  private static final double S5 = 1.0 / 120;
  private static final double S7 = -1.0 / 5040;
  private static final double S9 = 1.0 / 362880;
  private static final double S11 = -1.0 / 39916800;
  private static final double S13 = 1.0 / 6227020800.0;
  private static final double S15 = -1.0 / 1307674368000.0;
  private static final double C2 = -1.0 / 2;
  private static final double C4 = 1.0 / 24;
  private static final double C6 = -1.0 / 720;
  private static final double C8 = 1.0 / 40320;
  private static final double C10 = -1.0 / 3628800;
  private static final double C12 = 1.0 / 479001600;
  private static final double C14 = -1.0 / 87178291200.0;
  private static final double C16 = 1.0 / 20922789888000.0;

  private CounterRandom() {}

  /** The SplitMix64 finalizer: a bijection on 64-bit values with full avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The key of block {@code block} under {@code seed}; distinct blocks of one seed get distinct
   * keys.
   */
  public static long key(long seed, long block) {
    return mix64(mix64(seed) + (block + 1) * GOLDEN_GAMMA);
  }

  /** The 64 random bits at {@code counter} of the stream with the given key. */
  public static long bits(long key, long counter) {
    return mix64(key + (counter + 1) * GOLDEN_GAMMA);
  }

  /** Maps 64 random bits to a uniform double strictly inside (0, 1) (52 bits of resolution). */
  public static double uniform(long bits) {
    return ((bits >>> 12) + 0.5) * TWO_POW_MINUS_52;
  }

  /** The standard normal value at {@code counter} of the stream with the given key. */
  public static double gaussian(long key, long counter) {
    long first = counter & ~1L;
    double radius = radius(bits(key, first));
    double u2 = uniform(bits(key, first + 1));
    return (counter & 1L) == 0 ? radius * cos2pi(u2) : radius * sin2pi(u2);
  }

  /** The Rademacher value (+1 or -1) at {@code counter} of the stream with the given key. */
  public static int rademacher(long key, long counter) {
    long word = bits(key, counter >>> 6);
    return 1 - 2 * (int) ((word >>> (counter & 63)) & 1L);
  }

  /**
   * Writes the standard normal values at counters {@code first .. first + len - 1} to {@code
   * out[off .. off + len - 1]}, equal bit for bit to {@link #gaussian} but one log per pair.
   */
  public static void gaussians(long key, long first, double[] out, int off, int len) {
    long c = first;
    int i = off;
    int end = off + len;
    if (len > 0 && (c & 1L) == 1) {
      out[i++] = gaussian(key, c++);
    }
    while (i + 1 < end) {
      double radius = radius(bits(key, c));
      // Inlined cos2pi/sin2pi sharing one reduction; same operations, so the same bits.
      double x = 4 * uniform(bits(key, c + 1));
      double q = Math.rint(x);
      double a = HALF_PI * (x - q);
      int quarter = (int) q & 3;
      double sk = sinKernel(a);
      double ck = cosKernel(a);
      boolean odd = (quarter & 1) != 0;
      out[i] = radius * (COS_SIGN[quarter] * (odd ? sk : ck));
      out[i + 1] = radius * (SIN_SIGN[quarter] * (odd ? ck : sk));
      i += 2;
      c += 2;
    }
    if (i < end) {
      out[i] = gaussian(key, c);
    }
  }

  /**
   * Writes the Rademacher values (as +1.0 or -1.0) at counters {@code first .. first + len - 1} to
   * {@code out[off .. off + len - 1]}, equal to {@link #rademacher}.
   */
  public static void rademachers(long key, long first, double[] out, int off, int len) {
    long c = first;
    long word = bits(key, c >>> 6);
    for (int i = off, end = off + len; i < end; i++, c++) {
      int bit = (int) (c & 63);
      if (bit == 0) {
        word = bits(key, c >>> 6);
      }
      out[i] = 1 - 2 * (int) ((word >>> bit) & 1L);
    }
  }

  /** {@code sqrt(-2 ln u1)}, the Box–Muller radius. */
  private static double radius(long bits) {
    return Math.sqrt(-2.0 * StrictMath.log(uniform(bits)));
  }

  /**
   * {@code cos(2 pi u)} for u in [0, 1), to about 1e-16: reduce to the nearest quarter turn ({@code
   * 4u = q + t}, |t| <= 1/2, exact), evaluate Taylor polynomials at {@code a = t pi / 2}, and
   * rotate by q quarter turns (a swap and a sign, both exact).
   */
  public static double cos2pi(double u) {
    double x = 4 * u;
    double q = Math.rint(x);
    double a = HALF_PI * (x - q);
    int quarter = (int) q & 3;
    return COS_SIGN[quarter] * ((quarter & 1) != 0 ? sinKernel(a) : cosKernel(a));
  }

  /** {@code sin(2 pi u)} for u in [0, 1), same reduction as {@link #cos2pi}. */
  public static double sin2pi(double u) {
    double x = 4 * u;
    double q = Math.rint(x);
    double a = HALF_PI * (x - q);
    int quarter = (int) q & 3;
    return SIN_SIGN[quarter] * ((quarter & 1) != 0 ? cosKernel(a) : sinKernel(a));
  }

  private static double sinKernel(double a) {
    double a2 = a * a;
    return a
        + a * a2 * (S3 + a2 * (S5 + a2 * (S7 + a2 * (S9 + a2 * (S11 + a2 * (S13 + a2 * S15))))));
  }

  private static double cosKernel(double a) {
    double a2 = a * a;
    return 1
        + a2
            * (C2
                + a2
                    * (C4
                        + a2 * (C6 + a2 * (C8 + a2 * (C10 + a2 * (C12 + a2 * (C14 + a2 * C16)))))));
  }
}
