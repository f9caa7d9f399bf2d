package dev.ascribe.core.precondition;

import dev.ascribe.core.linalg.Factorized;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.linalg.LambdaSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * K⁻¹ with K = (1/n) ΦᵀΦ + λI on the mean scale (TRAK, IF-FIM), factorized once per checkpoint.
 * Fitted from the kernel of {@link GramFit} (one whole feature matrix in memory, partition fits
 * merged in key order on Spark), or rebuilt from a stored factorization ({@link #of(Factorized,
 * LambdaSpec)}) without refitting.
 */
public final class KernelPreconditioner implements Preconditioner {
  private static final long serialVersionUID = 1L;

  private final Factorized factorized;
  private final String lambdaSpec;

  private KernelPreconditioner(Factorized factorized, LambdaSpec lambda) {
    this.factorized = factorized;
    this.lambdaSpec = lambda.toString();
  }

  /** Wraps a factorization computed elsewhere (e.g. from merged partition Gram sums). */
  public static KernelPreconditioner of(Factorized factorized, LambdaSpec lambda) {
    return new KernelPreconditioner(factorized, lambda);
  }

  /**
   * Factorizes a fitted kernel ({@link GramFit#finish()}) with λ resolved against it ({@link
   * LambdaSpec#resolve}: the one place {@code auto} becomes a number).
   */
  public static KernelPreconditioner fit(Kernel kernel, LambdaSpec lambda) {
    return new KernelPreconditioner(kernel.factorize(lambda), lambda);
  }

  public Factorized factorized() {
    return factorized;
  }

  @Override
  public float[] apply(float[] queries, int m) {
    int k = factorized.k();
    if (queries.length != m * k) {
      throw new IllegalArgumentException("query features hold " + queries.length + " values: "
          + m + " rows of k = " + k + " expected");
    }
    float[] result = new float[queries.length];
    double[] v = new double[k];
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < k; j++) {
        v[j] = queries[r * k + j];
      }
      double[] out = factorized.solve(v);
      for (int j = 0; j < k; j++) {
        result[r * k + j] = (float) out[j];
      }
    }
    return result;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "kernel");
    m.put("lambda_option", lambdaSpec);
    m.put("lambda", factorized.lambda());
    m.put("factorization", factorized.method().toString());
    double mean = factorized.kernel().meanNonZeroEigenvalueIfCheap();
    m.put("mean_nonzero_eigenvalue", Double.isNaN(mean)
        ? "not computed (rank-deficient kernel: it needs every eigenvalue)" : mean);
    // Two different numbers: K = F + λI is inverted in this many directions (all k when λ > 0),
    // while F = Φᵀ Φ / n itself has rank at most min(n, k).
    m.put("inverted_directions", factorized.rank());
    int rank = factorized.kernel().rankIfCheap();
    long bound = Math.min(factorized.kernel().count(), factorized.k());
    m.put("kernel_rank", rank >= 0 ? (Object) rank
        : "at most " + bound + " (min(n, k); exact rank not computed)");
    m.put("n", factorized.kernel().count());
    m.put("k", factorized.k());
    return m;
  }
}
