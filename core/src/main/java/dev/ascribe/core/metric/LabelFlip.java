package dev.ascribe.core.metric;

import dev.ascribe.core.data.Dataset;
import java.util.Locale;
import java.util.Objects;

/**
 * The corrupted training set of the noisy-label metric (DESIGN.md, Metrics): a seeded fraction of
 * the labels flipped, each to a uniformly chosen OTHER class.
 *
 * <p>Which rows: {@code round(fraction * n)} distinct rows drawn by {@link Subsets#sample}(n,
 * count, seed, 0). Their new classes: one SplitMix64 stream ({@link Subsets}, step 2, index 1)
 * draws u uniform in [0, C - 1) for each flipped row in ascending row order, and the new label is
 * u if u &lt; y, else u + 1, so it is never the old label y and every other class is equally likely.
 * Depends only on (labels, fraction, seed).
 *
 * @param data the training set with the flipped labels (same ids and features)
 * @param flipped which rows were flipped, length n: the positives of the detection AUC
 * @param count number of flipped rows
 * @param fraction the fraction asked for
 * @param seed the flip seed
 */
public record LabelFlip(Dataset data, boolean[] flipped, int count, double fraction, long seed) {

  /**
   * Flips {@code round(fraction * n)} labels of {@code clean}.
   *
   * @param fraction in (0, 1); DESIGN.md's default is 0.1
   * @throws IllegalArgumentException if the fraction is outside (0, 1), or it rounds to no
   *     flipped row or to every row (the AUC needs both flipped and clean rows)
   */
  public static LabelFlip of(Dataset clean, double fraction, long seed) {
    Objects.requireNonNull(clean, "clean");
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("noisy option fraction given " + fraction
          + ": must be in (0, 1) (DESIGN.md uses 0.1)");
    }
    int n = clean.size();
    long rounded = Math.round(fraction * n);
    if (rounded < 1 || rounded >= n) {
      throw new IllegalArgumentException("noisy option fraction given " + fraction + " with "
          + n + " training rows flips " + rounded + " labels: expected between 1 and " + (n - 1)
          + " so that both flipped and clean rows exist");
    }
    int count = (int) rounded;
    int[] rows = Subsets.sample(n, count, seed, 0);
    int[] labels = clean.labels();
    boolean[] flipped = new boolean[n];
    long[] state = {Subsets.streamStart(seed, 1)};
    for (int row : rows) {
      int u = Subsets.uniform(state, clean.numClasses() - 1);
      labels[row] = u < labels[row] ? u : u + 1;
      flipped[row] = true;
    }
    String name = clean.name() + String.format(Locale.ROOT, "+flip(%s,seed=%d)",
        Double.toString(fraction), seed);
    return new LabelFlip(clean.withLabels(labels, name), flipped, count, fraction, seed);
  }
}
