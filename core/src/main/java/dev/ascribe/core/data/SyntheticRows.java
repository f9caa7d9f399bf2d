package dev.ascribe.core.data;

import dev.ascribe.core.project.CounterRandom;

/**
 * A synthetic training table of any size made from real records: row {@code id} is source record
 * {@code id mod base} with seeded Gaussian pixel noise added and clipped to [0, 1], keeping the
 * source's label. Each row is a pure function of (seed, id, noise, source record), computed with
 * the counter-based generator of the projections ({@link CounterRandom}), so a table made in any
 * number of partitions, in any order, on any machine, has the same rows bit for bit.
 *
 * <p>Why real records plus noise rather than random pixels: the rows then look like the data the
 * models were trained on (their gradients, losses and q values are realistic), while no two rows
 * are equal, so a scale run measures the cost of real work.
 *
 * @param rows number of rows, ids 0 .. rows - 1 (≥ 1)
 * @param seed seed of the noise (default 0)
 * @param noise standard deviation σ of the noise added to each pixel in [0, 1] (≥ 0, default 0.1)
 * @param base number of source records, the first of the source split (≥ 1, default 10,000)
 */
public record SyntheticRows(long rows, long seed, double noise, int base)
    implements java.io.Serializable {
  /** Default σ of the pixel noise. */
  public static final double DEFAULT_NOISE = 0.1;
  /** Default number of source records cycled through. */
  public static final int DEFAULT_BASE = 10_000;

  /**
   * @throws IllegalArgumentException naming the option, the value and what was expected
   */
  public SyntheticRows {
    if (rows < 1) {
      throw new IllegalArgumentException("synthetic table option rows given " + rows
          + ": must be >= 1");
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("synthetic table option noise given " + noise
          + ": must be a finite number >= 0 (the standard deviation of the pixel noise)");
    }
    if (base < 1) {
      throw new IllegalArgumentException("synthetic table option base given " + base
          + ": must be >= 1 (the number of source records to cycle through)");
    }
  }

  /** The source record of row {@code id}: {@code id mod base}. */
  public int sourceIndex(long id) {
    return (int) Math.floorMod(id, (long) base);
  }

  /**
   * The features of row {@code id}: {@code clip(x + σ ε, 0, 1)} with ε the standard normal values
   * at counters 0 .. d - 1 of the stream keyed by (seed, id).
   *
   * @param source the features of record {@link #sourceIndex}(id), pixels in [0, 1]
   */
  public float[] features(long id, float[] source) {
    float[] out = new float[source.length];
    if (noise == 0) {
      System.arraycopy(source, 0, out, 0, source.length);
      return out;
    }
    double[] eps = new double[source.length];
    CounterRandom.gaussians(CounterRandom.key(seed, id), 0, eps, 0, eps.length);
    for (int j = 0; j < out.length; j++) {
      double v = source[j] + noise * eps[j];
      out[j] = (float) Math.min(1.0, Math.max(0.0, v));
    }
    return out;
  }
}
