package dev.ascribe.core.select;

/**
 * The indicator of DESIGN.md for one query: with F = U diag(σ) Uᵀ and c = Uᵀ g',
 *
 * <pre>ξ(z', λ) = -d log‖τ_λ‖ / d log λ
 *          = λ · Σ_i c_i² σ_i / (σ_i + λ)³  /  Σ_i c_i² σ_i / (σ_i + λ)²   ∈ [0, 1]</pre>
 *
 * (for single-model IF-FIM, where τ_λ = G (F + λI)⁻¹ g' and GᵀG = nF; a heuristic for TRAK).
 * Directions with σ_i = 0 do not enter: G maps them to zero.
 */
public final class Xi {
  private Xi() {}

  /**
   * ξ of one query.
   *
   * @param sigma eigenvalues σ_i (any order), ≥ 0; zero ones contribute nothing
   * @param c2 squared coordinates c_i² of the query in the same eigenbasis, same length
   * @param lambda λ > 0 (absolute, on the mean scale)
   * @return ξ in [0, 1], or NaN when the query has no component on a non-zero eigenvalue
   */
  public static double of(double[] sigma, double[] c2, double lambda) {
    double[] out = new double[1];
    of(sigma, new double[][] {c2}, lambda, out);
    return out[0];
  }

  /**
   * ξ of several queries in the same eigenbasis: the per-eigenvalue weights σ_i/(σ_i + λ)² and
   * σ_i/(σ_i + λ)³ are computed once for all of them.
   *
   * @param sigma eigenvalues σ_i, ≥ 0
   * @param c2 per query, its squared coordinates (same length as sigma)
   * @param lambda λ > 0
   * @param out receives ξ per query (NaN for a query with no component on a non-zero σ)
   */
  public static void of(double[] sigma, double[][] c2, double lambda, double[] out) {
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("xi needs a finite lambda > 0: given " + lambda);
    }
    int r = sigma.length;
    double[] square = new double[r];
    double[] cube = new double[r];
    for (int i = 0; i < r; i++) {
      if (sigma[i] > 0) {
        double s = sigma[i] + lambda;
        square[i] = sigma[i] / (s * s);
        cube[i] = square[i] / s;
      }
    }
    for (int q = 0; q < c2.length; q++) {
      double num = 0;
      double den = 0;
      double[] c = c2[q];
      for (int i = 0; i < r; i++) {
        den += c[i] * square[i];
        num += c[i] * cube[i];
      }
      out[q] = den > 0 ? Math.min(1, Math.max(0, lambda * num / den)) : Double.NaN;
    }
  }
}
