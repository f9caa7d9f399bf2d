package dev.ascribe.core.method;

import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.option.OptionSpec.Type;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options of {@link LograAttributor}, as the {@code logra.*} keys write them.
 *
 * @param in k_in: one value for every linear layer, or one per layer; 0 keeps the side whole
 *     (default in {@link #OPTIONS})
 * @param out k_out, likewise
 * @param inner the inner product between features
 * @param kind entry distribution of the projections (the run's projection.kind)
 * @param seed base seed (the run's projection.seed)
 */
public record LograOptions(int[] in, int[] out, Inner inner, ProjectionKind kind, long seed)
    implements Serializable {
  /** The {@code logra.*} options with their defaults (the one place they are written). */
  public static final List<OptionSpec> OPTIONS = List.of(
      new OptionSpec("in", Type.DIMENSIONS, "64", "k_in per linear layer, P_in [a, 1]: one value"
          + " for every layer or one per layer like 64,32,16; 0 keeps the side whole"),
      new OptionSpec("out", Type.DIMENSIONS, "8",
          "k_out per linear layer, P_out delta; written like in"),
      new OptionSpec("inner", Type.CHOICE, "identity", "identity or fisher (the kernel"
          + " (1/n) PhiT Phi + lambda I on these features)"));

  /** The inner product between Kronecker features. */
  public enum Inner {
    /** φ_iᵀ φ'. */
    IDENTITY,
    /** φ_iᵀ ((1/n) ΦᵀΦ + λI)⁻¹ φ': the empirical Fisher on the Kronecker features. */
    FISHER
  }

  public LograOptions {
    if (kind == ProjectionKind.FACTORIZED) {
      throw new IllegalArgumentException("option projection.kind given factorized for logra:"
          + " logra is already factorized (logra.in, logra.out); its sides take gaussian,"
          + " rademacher or sjlt");
    }
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
    Map<String, String> filled = OptionSpec.withDefaults("logra", OPTIONS, options);
    int[] in = OptionSpec.parseDimensions("logra.in", filled.get("in"), false);
    int[] out = OptionSpec.parseDimensions("logra.out", filled.get("out"), false);
    String inner = filled.get("inner");
    Inner parsed = switch (inner.toLowerCase(Locale.ROOT)) {
      case "identity" -> Inner.IDENTITY;
      case "fisher" -> Inner.FISHER;
      default -> throw new IllegalArgumentException("option logra.inner given " + inner
          + ": expected identity or fisher");
    };
    return new LograOptions(in, out, parsed, kind, seed);
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
