package dev.ascribe.core.method;

import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.option.OptionSpec.Type;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of {@link RpsAttributor}, as the {@code rps.*} keys write them.
 *
 * @param lambda L2 strength λ of the refit objective (1/n) Σ ℓ_i + λ‖W‖² (default 0.003, dattri's)
 * @param tolerance the refit stops at ‖∇‖₂ ≤ tolerance (default 1e-5)
 * @param iterations at most this many L-BFGS iterations (default 5000)
 */
public record RpsOptions(double lambda, double tolerance, int iterations)
    implements Serializable {
  /** The {@code rps.*} options with their defaults (the one place they are written). */
  public static final List<OptionSpec> OPTIONS = List.of(
      new OptionSpec("lambda", Type.NUMBER, "0.003",
          "L2 strength of the last-layer refit (1/n) sum of losses + lambda ||W||^2 (dattri's)"),
      new OptionSpec("tolerance", Type.NUMBER, "1e-5",
          "the L-BFGS refit stops at ||gradient|| <= tolerance"),
      new OptionSpec("iterations", Type.WHOLE, "5000", "L-BFGS iterations at most"));

  public RpsOptions {
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("option rps.lambda given " + lambda
          + ": must be a finite number > 0 (the representer theorem divides by it)");
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("option rps.tolerance given " + tolerance
          + ": must be > 0");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("option rps.iterations given " + iterations
          + ": must be >= 1");
    }
  }

  /** The defaults. */
  public static RpsOptions defaults() {
    return parse(Map.of());
  }

  /** Options from {@code rps.*} values (keys without the prefix); missing keys take defaults. */
  public static RpsOptions parse(Map<String, String> options) {
    Map<String, String> filled = OptionSpec.withDefaults("rps", OPTIONS, options);
    return new RpsOptions(number(filled, "lambda"), number(filled, "tolerance"),
        (int) number(filled, "iterations"));
  }

  private static double number(Map<String, String> options, String key) {
    String value = options.get(key);
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option rps." + key + " given " + value
          + ": expected a number", e);
    }
  }

  /** The options as a map (provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lambda", lambda);
    m.put("tolerance", tolerance);
    m.put("iterations", iterations);
    return m;
  }
}
