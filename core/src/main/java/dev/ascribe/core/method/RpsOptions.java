package dev.ascribe.core.method;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link RpsAttributor}, as the {@code rps.*} keys write them.
 *
 * @param lambda L2 strength λ of the refit objective (1/n) Σ ℓ_i + λ‖W‖² (default 0.003, dattri's)
 * @param tolerance the refit stops at ‖∇‖₂ ≤ tolerance (default 1e-5)
 * @param iterations at most this many L-BFGS iterations (default 5000)
 */
public record RpsOptions(double lambda, double tolerance, int iterations) {
  public static final double DEFAULT_LAMBDA = 0.003;
  public static final double DEFAULT_TOLERANCE = 1e-5;
  public static final int DEFAULT_ITERATIONS = 5000;

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
    return new RpsOptions(DEFAULT_LAMBDA, DEFAULT_TOLERANCE, DEFAULT_ITERATIONS);
  }

  /** Options from {@code rps.*} values (keys without the prefix); missing keys take defaults. */
  public static RpsOptions parse(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!key.equals("lambda") && !key.equals("tolerance") && !key.equals("iterations")) {
        throw new IllegalArgumentException("unknown option rps." + key
            + ": expected rps.lambda, rps.tolerance or rps.iterations");
      }
    }
    return new RpsOptions(number(options, "lambda", DEFAULT_LAMBDA),
        number(options, "tolerance", DEFAULT_TOLERANCE),
        (int) number(options, "iterations", DEFAULT_ITERATIONS));
  }

  private static double number(Map<String, String> options, String key, double fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
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
