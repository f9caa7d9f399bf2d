package dev.ascribe.core.select;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.EigenBasis;
import dev.ascribe.core.linalg.GramAccumulator;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.linalg.Lapack;

/**
 * The non-zero part of the eigendecomposition F = U diag(σ) Uᵀ of one model's kernel F = (1/n)
 * ΦᵀΦ (Φ: n x d training features): σ_1 ≥ ... ≥ σ_r > 0 (the {@link EigenBasis} zero rule) and U
 * (d x r). Everything λ-dependent is then a diagonal: (F + λI)⁻¹ restricted to the row space of Φ
 * is U diag(1/(σ + λ)) Uᵀ, and the rest of (F + λI)⁻¹ never reaches a score because Φ maps it to 0.
 *
 * <p>Two routes to the same spectrum: the primal one eigendecomposes the d x d {@link Kernel}
 * (cached there); when d > n the dual one eigendecomposes the n x n matrix (1/n) ΦΦᵀ = V diag(σ)
 * Vᵀ instead (same non-zero eigenvalues) and forms U = Φᵀ V diag(1/√(nσ)), which is how IF-FIM on
 * all 7,850 parameters of MNIST-LR with 5,000 training rows stays affordable.
 *
 * <p>Immutable. Products run on BLAS ({@link Lapack}) in float64.
 */
public final class FeatureSpectrum implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** How the spectrum was computed. */
  public enum Form { PRIMAL, DUAL }

  private final int d;
  private final double[] values;
  private final double[] vectors;
  private final Form form;

  private FeatureSpectrum(int d, double[] values, double[] vectors, Form form) {
    this.d = d;
    this.values = values;
    this.vectors = vectors;
    this.form = form;
  }

  /** The spectrum of F = (1/n) ΦᵀΦ of {@code train}: dual when k > n, else primal. */
  public static FeatureSpectrum of(FeatureMatrix train) {
    return of(train, smallerKernel(train));
  }

  /**
   * The spectrum of F = (1/n) ΦᵀΦ of {@code train} from its {@link #smallerKernel(FeatureMatrix)
   * smaller kernel}, already computed (its cached eigenbasis is reused).
   */
  public static FeatureSpectrum of(FeatureMatrix train, Kernel smaller) {
    int n = train.size();
    int k = train.k();
    int expected = Math.min(n, k);
    if (smaller.k() != expected) {
      throw new IllegalArgumentException("the smaller kernel of " + n + " x " + k + " features"
          + " must be " + expected + " x " + expected + ": given " + smaller.k());
    }
    if (!dualIsSmaller(n, k)) {
      return of(smaller);
    }
    EigenBasis basis = smaller.eigenBasis();
    int r = basis.rank();
    double[] sigma = java.util.Arrays.copyOf(basis.values(), r);
    double[] all = basis.vectors();
    // V_r diag(1/√(nσ)), n x r: then U = Φᵀ V_r diag(1/√(nσ)) has orthonormal columns.
    double[] scaled = new double[n * r];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < r; j++) {
        scaled[i * r + j] = all[i * n + j] / Math.sqrt((double) n * sigma[j]);
      }
    }
    double[] u = Lapack.product(toDouble(train.phi()), n, k, true, scaled, n, r, false);
    return new FeatureSpectrum(k, sigma, u, Form.DUAL);
  }

  /**
   * The kernel on the smaller side of Φ (n x k): F = (1/n) ΦᵀΦ when k ≤ n, else the dual (1/n)
   * ΦΦᵀ. Both have the same non-zero eigenvalues, so either gives the mean eigenvalue and the
   * spectral rules.
   */
  public static Kernel smallerKernel(FeatureMatrix train) {
    int n = train.size();
    int k = train.k();
    if (!dualIsSmaller(n, k)) {
      return Kernel.of(new GramAccumulator(k).add(train.phi()));
    }
    // The dual ΦΦᵀ is the Gram matrix of Φᵀ's rows.
    return Kernel.of(new GramAccumulator(n).add(transpose(train.phi(), n, k)).sum(), n, n);
  }

  /** The non-zero spectrum of an existing kernel (its cached eigenbasis is reused). */
  public static FeatureSpectrum of(Kernel kernel) {
    EigenBasis basis = kernel.eigenBasis();
    int k = basis.k();
    int r = basis.rank();
    double[] all = basis.vectors();
    double[] thin = new double[k * r];
    for (int i = 0; i < k; i++) {
      System.arraycopy(all, i * k, thin, i * r, r);
    }
    return new FeatureSpectrum(k, java.util.Arrays.copyOf(basis.values(), r), thin, Form.PRIMAL);
  }

  /** Feature dimension d. */
  public int dim() {
    return d;
  }

  /** Number r of non-zero eigenvalues. */
  public int rank() {
    return values.length;
  }

  /** The non-zero eigenvalues, descending, a copy. */
  public double[] values() {
    return values.clone();
  }

  /** Which route computed this spectrum. */
  public Form form() {
    return form;
  }

  /** The mean non-zero eigenvalue: the unit of relative λ such as {@code 0.3x}. */
  public double meanEigenvalue() {
    if (values.length == 0) {
      throw new IllegalStateException("the kernel has no non-zero eigenvalue (every feature row"
          + " is zero?): lambda relative to the mean eigenvalue is undefined");
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /**
   * Coordinates c = Uᵀ g' of query features.
   *
   * @param queries m x d query features
   * @return r x m row-major: entry [i·m + q] is c_i of query q
   */
  public double[] coordinates(FeatureMatrix queries) {
    if (queries.k() != d) {
      throw new IllegalArgumentException("query features have k = " + queries.k()
          + ": expected the training features' k = " + d);
    }
    return coordinates(queries.phi(), queries.size());
  }

  /** As {@link #coordinates(FeatureMatrix)} for m query rows of width d, row-major. */
  public double[] coordinates(float[] queries, int m) {
    if (queries.length != (long) m * d) {
      throw new IllegalArgumentException("query features hold " + queries.length + " values: "
          + m + " rows of k = " + d + " expected");
    }
    if (m == 0 || values.length == 0) {
      return new double[values.length * m];
    }
    return Lapack.product(vectors, d, values.length, true, toDouble(queries), m, d, true);
  }

  /**
   * Whether the dual route is the cheaper one for n training rows of width k: the n x n matrix
   * instead of the k x k kernel, when k > n (the one rule every path uses).
   */
  public static boolean dualIsSmaller(long n, int k) {
    return k > n;
  }

  /**
   * Preconditioned queries ψ = U diag(1/(σ + λ)) c (the part of (F + λI)⁻¹ g' that scores see).
   *
   * @param coordinates r x m from {@link #coordinates(FeatureMatrix)}
   * @param m number of queries
   * @param lambda absolute λ ≥ 0; at 0 the pseudo-inverse
   * @return m x d row-major, float32 as the scoring step takes it
   */
  public float[] precondition(double[] coordinates, int m, double lambda) {
    int r = values.length;
    double[] weighted = new double[r * m];
    for (int i = 0; i < r; i++) {
      double w = 1 / (values[i] + lambda);
      for (int q = 0; q < m; q++) {
        weighted[i * m + q] = w * coordinates[i * m + q];
      }
    }
    float[] out = new float[m * d];
    if (r == 0 || m == 0) {
      return out;
    }
    double[] psi = Lapack.product(weighted, r, m, true, vectors, d, r, true);
    for (int i = 0; i < psi.length; i++) {
      out[i] = (float) psi[i];
    }
    return out;
  }

  /** Writes d, the form, σ and U (read back by {@link #read}). */
  public void write(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeInt(d);
    out.writeUTF(form.name());
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
    for (double v : vectors) {
      out.writeDouble(v);
    }
  }

  /**
   * Reads a spectrum written by {@link #write} for features of width {@code expectedDim}.
   *
   * @throws java.io.IOException when the stored width differs or the stream ends early
   */
  public static FeatureSpectrum read(java.io.DataInputStream in, int expectedDim)
      throws java.io.IOException {
    int dim = in.readInt();
    if (dim != expectedDim) {
      throw new java.io.IOException("stored spectrum is of features of width " + dim
          + ": expected " + expectedDim);
    }
    Form form = Form.valueOf(in.readUTF());
    int r = in.readInt();
    if (r < 0 || r > dim) {
      throw new java.io.IOException("stored spectrum has rank " + r + ": expected 0 to " + dim);
    }
    double[] values = new double[r];
    for (int i = 0; i < r; i++) {
      values[i] = in.readDouble();
    }
    double[] vectors = new double[dim * r];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = in.readDouble();
    }
    return new FeatureSpectrum(dim, values, vectors, form);
  }

  private static float[] transpose(float[] rowMajor, int rows, int cols) {
    float[] t = new float[rowMajor.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = rowMajor[i * cols + j];
      }
    }
    return t;
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
