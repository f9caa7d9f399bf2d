package dev.ascribe.core.ihvp;

import dev.ascribe.core.grad.CurvatureProducts;
import dev.ascribe.core.model.Seeds;
import java.util.SplittableRandom;

/**
 * A curvature of the mean training loss (the Hessian, or the Gauss-Newton matrix: {@link
 * CurvatureProducts}) as a {@link SampledCurvature}: full products over every training row, and
 * mini-batch products over {@code batchSize} rows drawn without replacement from a generator
 * seeded by (seed, step).
 */
public final class HessianCurvature implements SampledCurvature {
  private final CurvatureProducts hvp;
  private final int batchSize;
  private final long seed;
  private final int[] rows;

  /**
   * @param rows the training rows the mean runs over (as given to {@code hvp})
   * @param batchSize rows per mini-batch product
   */
  public HessianCurvature(CurvatureProducts hvp, int[] rows, int batchSize, long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("option if-lissa.batch given " + batchSize
          + ": must be >= 1");
    }
    this.hvp = hvp;
    this.rows = rows.clone();
    this.batchSize = Math.min(batchSize, rows.length);
    this.seed = seed;
  }

  @Override
  public int dim() {
    return hvp.dim();
  }

  @Override
  public double[][] apply(double[][] directions) {
    return hvp.apply(directions);
  }

  @Override
  public double[][] applySample(double[][] directions, long step) {
    return hvp.apply(directions, sample(step));
  }

  /** The mini-batch of {@code step}: a partial Fisher-Yates shuffle of the rows. */
  int[] sample(long step) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, step));
    int[] pool = rows.clone();
    for (int i = 0; i < batchSize; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return java.util.Arrays.copyOf(pool, batchSize);
  }
}
