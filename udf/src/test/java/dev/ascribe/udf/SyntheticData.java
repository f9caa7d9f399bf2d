package dev.ascribe.udf;

import dev.ascribe.core.data.Dataset;
import java.util.SplittableRandom;

/** Small seeded classification data for the udf tests: 8 Gaussian features, 3 classes. */
public final class SyntheticData {
  private SyntheticData() {}

  /** n examples with ids 1000, 1003, 1006, ... (not record indices, on purpose). */
  public static Dataset of(int n, long seed, String name) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * 8];
    int[] y = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + 3L * i;
      y[i] = rng.nextInt(3);
      for (int j = 0; j < 8; j++) {
        x[i * 8 + j] = (float) rng.nextGaussian();
      }
    }
    return new Dataset(name, ids, x, y, 8, 3);
  }
}
