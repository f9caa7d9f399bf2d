package dev.ascribe.core.feature;

import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import java.util.Arrays;
import java.util.List;

/**
 * The side dimensions of {@code projection.kind = factorized}: for every linear layer l (out_l
 * outputs, in_l inputs, so its gradient δ ãᵀ has n_l = out_l · (in_l + 1) entries) the k_out of
 * P_out δ and the k_in of P_in ã. The rule from the projection's dimension k aims at K' = Σ k_out
 * · k_in = k exactly, because the SJLT that otherwise follows adds a second projection's error
 * (on MNIST it cost 0.03 to 0.04 LDS at k = 512):
 *
 * <ol>
 *   <li>Budgets: split k over the L layers in proportion to √n_l. A layer whose share is at least
 *       n_l is kept whole (k_l = n_l) and the rest of k is split again over the other layers, until
 *       every share fits; shares are rounded to whole k_l summing to what is left (largest
 *       remainders first).
 *   <li>Balanced sides: for a budget b, k_out = min(out_l, ⌈√b⌉), k_in = min(in_l + 1, ⌈b /
 *       k_out⌉), then k_out = min(out_l, ⌈b / k_in⌉).
 *   <li>Exact sides: from the smallest layer to the largest, the pair (k_out, k_in) with k_out ·
 *       k_in = b exactly, k_out ≤ out_l, k_in ≤ in_l + 1, each side at least half its balanced
 *       value, and the most balanced (the smaller max(k_out, k_in); on a tie the smaller k_out),
 *       starting at b = k_l plus what earlier layers left and lowering b by one until such a pair
 *       exists; what is left moves on to the next layer, and after the last one K' falls short
 *       of k by it (on MNIST-MLP: 0 at k = 256, 512, 1024, 4096, 8192; 3 at 2048).
 * </ol>
 *
 * <p>A side at its full width is kept whole (no projection). Given dimensions replace the rule's
 * for that side: {@code projection.out} and {@code projection.in}, each one value for every
 * layer or one per layer, 0 (or at least the width) keeping the side whole; when only one side is
 * given, the other is ⌈k_l / given⌉ capped at its width. {@link FeatureMaps} follows the features
 * with an SJLT to exactly k when K' ≠ k.
 *
 * <p>Why √n_l: on MNIST-MLP TRAK-10 at k = 512 it beat an equal split (0.298 against 0.278 LDS)
 * and tied a split proportional to n_l (0.303 ± 0.008), which leaves the last layer 4 features
 * (README, "Factorized projection").
 *
 * @param out k_out per layer, each between 1 and out_l (out_l: δ kept whole)
 * @param in k_in per layer, each between 1 and in_l + 1 (in_l + 1: ã kept whole)
 */
public record FactorizedDims(int[] out, int[] in) {
  public FactorizedDims {
    out = out.clone();
    in = in.clone();
  }

  /** k_out per layer. */
  @Override
  public int[] out() {
    return out.clone();
  }

  /** k_in per layer. */
  @Override
  public int[] in() {
    return in.clone();
  }

  /** K' = Σ k_out · k_in, the width of the Kronecker features before the SJLT to k. */
  public int width() {
    int width = 0;
    for (int l = 0; l < out.length; l++) {
      width = Math.addExact(width, Math.multiplyExact(out[l], in[l]));
    }
    return width;
  }

  /**
   * The side dimensions for the linear layers of {@code arch} and dimension {@code k}.
   *
   * @param outGiven projection.out: one value or one per layer, or null for the rule
   * @param inGiven projection.in, likewise
   * @throws IllegalArgumentException naming projection.kind if {@code arch} has parameters
   *     outside its linear layers, or projection.out/in if a list's length is not 1 or L
   */
  public static FactorizedDims of(ModelSpec arch, int k, int[] outGiven, int[] inGiven) {
    List<TappedLayer> layers = arch.tappedLayers();
    if (layers.isEmpty() || !arch.tapsCoverParameters()) {
      throw new IllegalArgumentException("option projection.kind given factorized for "
          + arch.name() + ": factorized needs every parameter in a linear layer, and "
          + arch.name() + " has parameters outside them; use gaussian, rademacher or sjlt");
    }
    int n = layers.size();
    int[] outFixed = perLayer("projection.out", outGiven, n, arch);
    int[] inFixed = perLayer("projection.in", inGiven, n, arch);
    long[] budget = split(k, layers);
    int[] out = new int[n];
    int[] in = new int[n];
    if (outFixed == null && inFixed == null) {
      return exact(layers, budget);
    }
    for (int l = 0; l < n; l++) {
      int outWidth = layers.get(l).out();
      int inWidth = layers.get(l).in() + 1;
      long kl = budget[l];
      if (outFixed != null && inFixed != null) {
        out[l] = side(outFixed[l], outWidth);
        in[l] = side(inFixed[l], inWidth);
      } else if (outFixed != null) {
        out[l] = side(outFixed[l], outWidth);
        in[l] = cap(ceilDiv(kl, out[l]), inWidth);
      } else {
        in[l] = side(inFixed[l], inWidth);
        out[l] = cap(ceilDiv(kl, in[l]), outWidth);
      }
    }
    return new FactorizedDims(out, in);
  }

  /** Steps 2 and 3 of the rule: exact sides where they exist, smallest layer first. */
  private static FactorizedDims exact(List<TappedLayer> layers, long[] budget) {
    int[] out = new int[layers.size()];
    int[] in = new int[layers.size()];
    Integer[] order = new Integer[layers.size()];
    for (int l = 0; l < order.length; l++) {
      order[l] = l;
    }
    Arrays.sort(order, (x, y) -> Long.compare(size(layers.get(x)), size(layers.get(y))));
    long carried = 0;
    for (int l : order) {
      int outWidth = layers.get(l).out();
      int inWidth = layers.get(l).in() + 1;
      long want = budget[l] + carried;
      int[] pair = null;
      // Ends by b = 1 at the latest (1 · 1 is always a pair).
      for (long b = want; pair == null; b--) {
        pair = exactPair(b, outWidth, inWidth);
      }
      out[l] = pair[0];
      in[l] = pair[1];
      carried = want - (long) pair[0] * pair[1];
    }
    return new FactorizedDims(out, in);
  }

  /** (k_out, k_in) for budget b by step 2. */
  private static int[] balanced(long b, int outWidth, int inWidth) {
    int kOut = cap((long) Math.ceil(Math.sqrt(b)), outWidth);
    int kIn = cap(ceilDiv(b, kOut), inWidth);
    return new int[] {cap(ceilDiv(b, kIn), outWidth), kIn};
  }

  /** The pair of step 3 with product exactly b, or null if there is none. */
  private static int[] exactPair(long b, int outWidth, int inWidth) {
    if (b > (long) outWidth * inWidth) {
      return null;
    }
    int[] even = balanced(b, outWidth, inWidth);
    int[] best = null;
    for (int a = 1; a <= Math.min(outWidth, b); a++) {
      if (b % a != 0 || b / a > inWidth || 2 * a < even[0] || 2 * (b / a) < even[1]) {
        continue;
      }
      // Most balanced: the smallest larger side; a tie (a and b / a swapped) keeps the smaller a.
      if (best == null || Math.max(a, b / a) < Math.max(best[0], best[1])) {
        best = new int[] {a, (int) (b / a)};
      }
    }
    return best;
  }

  private static long size(TappedLayer layer) {
    return (long) layer.out() * (layer.in() + 1);
  }

  /**
   * k_l per layer (step 1): k split in proportion to √n_l, layers whose share reaches n_l kept
   * whole and the remainder split again over the others; whole numbers summing to k (or to Σ n_l
   * when every layer is whole).
   */
  static long[] split(int k, List<TappedLayer> layers) {
    int n = layers.size();
    long[] budget = new long[n];
    boolean[] whole = new boolean[n];
    long left = k;
    boolean changed = true;
    while (changed) {
      changed = false;
      double weights = 0;
      for (int l = 0; l < n; l++) {
        weights += whole[l] ? 0 : Math.sqrt(size(layers.get(l)));
      }
      for (int l = 0; l < n && weights > 0; l++) {
        long size = size(layers.get(l));
        if (!whole[l] && left * Math.sqrt(size) / weights >= size) {
          whole[l] = true;
          budget[l] = size;
          left -= size;
          changed = true;
        }
      }
    }
    double weights = 0;
    for (int l = 0; l < n; l++) {
      weights += whole[l] ? 0 : Math.sqrt(size(layers.get(l)));
    }
    double[] share = new double[n];
    long given = 0;
    for (int l = 0; l < n; l++) {
      if (!whole[l]) {
        share[l] = left * Math.sqrt(size(layers.get(l))) / weights;
        budget[l] = Math.max(1, (long) Math.floor(share[l]));
        given += budget[l];
      }
    }
    // Largest remainders first, so the budgets sum to what is left.
    Integer[] byRemainder = new Integer[n];
    for (int l = 0; l < n; l++) {
      byRemainder[l] = l;
    }
    Arrays.sort(byRemainder, (x, y) -> Double.compare(share[y] - Math.floor(share[y]),
        share[x] - Math.floor(share[x])));
    for (int i = 0; i < n && given < left; i++) {
      if (!whole[byRemainder[i]]) {
        budget[byRemainder[i]]++;
        given++;
      }
    }
    return budget;
  }

  private static int side(int given, int width) {
    return given == 0 ? width : Math.min(given, width);
  }

  private static int cap(long k, int width) {
    return (int) Math.max(1, Math.min(k, width));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static int[] perLayer(String option, int[] dims, int n, ModelSpec arch) {
    if (dims == null) {
      return null;
    }
    if (dims.length == 1) {
      int[] all = new int[n];
      Arrays.fill(all, dims[0]);
      return all;
    }
    if (dims.length != n) {
      throw new IllegalArgumentException("option " + option + " given " + dims.length
          + " dimensions: " + arch.name() + " has " + n + " linear layers; give one value for"
          + " all or one per layer");
    }
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FactorizedDims d && Arrays.equals(out, d.out) && Arrays.equals(in, d.in);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(out) + Arrays.hashCode(in);
  }

  @Override
  public String toString() {
    return "FactorizedDims{out=" + Arrays.toString(out) + ", in=" + Arrays.toString(in) + "}";
  }
}
