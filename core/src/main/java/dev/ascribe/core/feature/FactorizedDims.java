package dev.ascribe.core.feature;

import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import java.util.Arrays;
import java.util.List;

/**
 * The side dimensions of {@code projection.kind = factorized}: for every linear layer l (out_l
 * outputs, in_l inputs, so its gradient δ ãᵀ has n_l = out_l · (in_l + 1) entries) the k_out of
 * P_out δ and the k_in of P_in ã. The rule from the projection's dimension k:
 *
 * <ol>
 *   <li>Split k over the L layers in proportion to √n_l (the square root of each layer's
 *       parameter count). A layer whose share is at least n_l is kept whole (k_l = n_l) and the
 *       rest of k is split again over the other layers, until every share fits; then k_l =
 *       ⌈share⌉.
 *   <li>Per layer not kept whole: k_out = min(out_l, ⌈√k_l⌉), k_in = min(in_l + 1, ⌈k_l / k_out⌉),
 *       then k_out = min(out_l, ⌈k_l / k_in⌉) (so a side capped at its width gives its room to
 *       the other). A side at its full width is kept whole (no projection).
 * </ol>
 *
 * <p>Given dimensions replace the rule's for that side: {@code projection.out} and {@code
 * projection.in}, each one value for every layer or one per layer, 0 (or at least the width)
 * keeping the side whole; when only one side is given, the other is ⌈k_l / given⌉ capped at its
 * width. The features' width K' = Σ k_out · k_in is close to k (at least k unless every layer is
 * whole); {@link FeatureMaps} follows them with an SJLT to exactly k when K' ≠ k.
 *
 * <p>Why √n_l: measured on MNIST-MLP and MNIST-LR TRAK-10 at k = 512 against an equal split and a
 * split proportional to n_l (README, "Factorized projection").
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
      } else if (inFixed != null) {
        in[l] = side(inFixed[l], inWidth);
        out[l] = cap(ceilDiv(kl, in[l]), outWidth);
      } else {
        out[l] = cap((long) Math.ceil(Math.sqrt(kl)), outWidth);
        in[l] = cap(ceilDiv(kl, out[l]), inWidth);
        out[l] = cap(ceilDiv(kl, in[l]), outWidth);
      }
    }
    return new FactorizedDims(out, in);
  }

  /**
   * k_l per layer: k split in proportion to √n_l, layers whose share reaches n_l kept whole and
   * the remainder split again over the others.
   */
  static long[] split(int k, List<TappedLayer> layers) {
    int n = layers.size();
    long[] size = new long[n];
    for (int l = 0; l < n; l++) {
      size[l] = (long) layers.get(l).out() * (layers.get(l).in() + 1);
    }
    long[] budget = new long[n];
    boolean[] whole = new boolean[n];
    double left = k;
    boolean changed = true;
    while (changed) {
      changed = false;
      double weights = 0;
      for (int l = 0; l < n; l++) {
        weights += whole[l] ? 0 : Math.sqrt(size[l]);
      }
      for (int l = 0; l < n && weights > 0; l++) {
        if (!whole[l] && left * Math.sqrt(size[l]) / weights >= size[l]) {
          whole[l] = true;
          left -= size[l];
          changed = true;
        }
      }
    }
    double weights = 0;
    for (int l = 0; l < n; l++) {
      weights += whole[l] ? 0 : Math.sqrt(size[l]);
    }
    for (int l = 0; l < n; l++) {
      budget[l] = whole[l] ? size[l]
          : Math.max(1, (long) Math.ceil(left * Math.sqrt(size[l]) / weights - 1e-9));
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
