package dev.ascribe.core.method;

import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.project.ProjectionKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Options of {@link LograAttributor}, as the {@code logra.*} keys write them.
 *
 * @param in k_in: one value for every linear layer, or one per layer; 0 keeps the side whole
 *     (default 64)
 * @param out k_out, likewise (default 8)
 * @param inner the inner product between features (default identity)
 * @param kind entry distribution of the projections (the run's projection.kind)
 * @param seed base seed (the run's projection.seed)
 */
public record LograOptions(int[] in, int[] out, Inner inner, ProjectionKind kind, long seed) {
  /** Default k_in per layer. */
  public static final int DEFAULT_IN = 64;
  /** Default k_out per layer. */
  public static final int DEFAULT_OUT = 8;

  /** The inner product between Kronecker features. */
  public enum Inner {
    /** φ_iᵀ φ'. */
    IDENTITY,
    /** φ_iᵀ ((1/n) ΦᵀΦ + λI)⁻¹ φ': the empirical Fisher on the Kronecker features. */
    FISHER
  }

  public LograOptions {
    check("logra.in", in);
    check("logra.out", out);
    in = in.clone();
    out = out.clone();
  }

  private static void check(String key, int[] dims) {
    if (dims.length == 0 || Arrays.stream(dims).anyMatch(k -> k < 0)) {
      throw new IllegalArgumentException("option " + key + " given " + Arrays.toString(dims)
          + ": expected one dimension >= 0 for every layer, or one per layer (0 keeps the side"
          + " whole)");
    }
  }

  /**
   * Options from {@code logra.*} values (keys without the prefix: in, out, inner); missing keys
   * take their defaults. Dimensions are written {@code 64} or {@code 64,32,16} (or
   * {@code [64, 32]}).
   */
  public static LograOptions parse(Map<String, String> options, ProjectionKind kind, long seed) {
    for (String key : options.keySet()) {
      if (!key.equals("in") && !key.equals("out") && !key.equals("inner")) {
        throw new IllegalArgumentException("unknown option logra." + key
            + ": expected logra.in, logra.out or logra.inner");
      }
    }
    int[] in = dims("logra.in", options.getOrDefault("in", Integer.toString(DEFAULT_IN)));
    int[] out = dims("logra.out", options.getOrDefault("out", Integer.toString(DEFAULT_OUT)));
    String inner = options.getOrDefault("inner", "identity");
    Inner parsed = switch (inner.toLowerCase(Locale.ROOT)) {
      case "identity" -> Inner.IDENTITY;
      case "fisher" -> Inner.FISHER;
      default -> throw new IllegalArgumentException("option logra.inner given " + inner
          + ": expected identity or fisher");
    };
    return new LograOptions(in, out, parsed, kind, seed);
  }

  private static int[] dims(String key, String value) {
    String list = value.replace("[", "").replace("]", "").trim();
    try {
      return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt)
          .toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + " given " + value
          + ": expected a whole number like 64, or one per layer like 64,32,16", e);
    }
  }

  /** k_in of every linear layer of {@code arch}. */
  public int[] inDims(ModelSpec arch) {
    return perLayer("logra.in", in, arch);
  }

  /** k_out of every linear layer of {@code arch}. */
  public int[] outDims(ModelSpec arch) {
    return perLayer("logra.out", out, arch);
  }

  private static int[] perLayer(String key, int[] dims, ModelSpec arch) {
    if (dims.length == 1) {
      int[] all = new int[arch.tappedLayers().size()];
      Arrays.fill(all, dims[0]);
      return all;
    }
    if (dims.length != arch.tappedLayers().size()) {
      throw new IllegalArgumentException("option " + key + " given " + dims.length
          + " dimensions: " + arch.name() + " has " + arch.tappedLayers().size()
          + " linear layers; give one value for all or one per layer");
    }
    return dims.clone();
  }

  /** The options as a map (provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("in", Arrays.toString(in));
    m.put("out", Arrays.toString(out));
    m.put("inner", inner.name().toLowerCase(Locale.ROOT));
    m.put("kind", kind.name().toLowerCase(Locale.ROOT));
    m.put("seed", seed);
    return m;
  }
}
