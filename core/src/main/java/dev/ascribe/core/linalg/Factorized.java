package dev.ascribe.core.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;

/**
 * A factored preconditioner K = F + λI (F = G/n of a {@link Kernel}, λ on the mean scale) that
 * applies K⁻¹ to query features: the (1/n Φᵀ Φ + λI)⁻¹ φ(z') of TRAK and IF-FIM (DESIGN.md).
 *
 * <p>Which factorization ({@link #method()}):
 *
 * <ul>
 *   <li>{@link Method#CHOLESKY} K = L Lᵀ ({@link Lapack}), used when it succeeds and every pivot satisfies
 *       L_ii² > k · 1e-12 · max_j K_jj. Pivots of a positive definite matrix are at least its
 *       smallest eigenvalue, so this accepts every K that is safely positive definite.
 *   <li>{@link Method#EIGEN_PSEUDO_INVERSE} otherwise (typically λ = 0 with n < k, or features that
 *       span fewer than k directions): with F = U diag(σ) Uᵀ and μ_j = σ_j + λ, K⁺ = Σ_j u_j u_jᵀ /
 *       μ_j over the μ_j that are non-zero under {@link EigenBasis}'s rule (μ_j > μ_max · k ·
 *       1e-12). On the range of K this is the Moore–Penrose inverse; components of a query outside
 *       it are dropped. If K = 0 (all features zero and λ = 0) K⁺ = 0.
 * </ul>
 *
 * Either way every result is finite for finite input; nothing is ever divided by a rounding-level
 * pivot. Immutable, thread-safe and {@link Serializable} (plain arrays; no native memory).
 */
public final class Factorized implements Serializable {
  /** How K was factored. */
  public enum Method {
    CHOLESKY("cholesky"),
    EIGEN_PSEUDO_INVERSE("eigen-pseudo-inverse");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    /** The name used in files and provenance: {@code cholesky} or {@code eigen-pseudo-inverse}. */
    @Override
    public String toString() {
      return label;
    }
  }

  private static final long serialVersionUID = 1L;

  private final Kernel kernel;
  private final double lambda;
  private final Method method;
  private final double[] lower; // CHOLESKY: L, k x k row-major, zero above the diagonal
  // CHOLESKY: Lᵀ row-major. Solving with it reads rows, several times faster than EJML's
  // solveTranL, which walks L by columns. Rebuilt after deserialization (readResolve).
  private final transient double[] upper;
  private final EigenBasis basis; // EIGEN_PSEUDO_INVERSE: the eigenbasis of F
  private final double[] weights; // EIGEN_PSEUDO_INVERSE: 1/μ_j, or 0 for zero μ_j
  private final int rank;

  private Factorized(Kernel kernel, double lambda, double[] lower) {
    this.kernel = kernel;
    this.lambda = lambda;
    this.method = Method.CHOLESKY;
    this.lower = lower;
    int k = kernel.k();
    this.upper = CommonOps_DDRM.transpose(DMatrixRMaj.wrap(k, k, lower), null).data;
    this.basis = null;
    this.weights = null;
    this.rank = kernel.k();
  }

  private Factorized(Kernel kernel, double lambda, EigenBasis basis) {
    this.kernel = kernel;
    this.lambda = lambda;
    this.method = Method.EIGEN_PSEUDO_INVERSE;
    this.lower = null;
    this.upper = null;
    this.basis = basis;
    double[] sigma = basis.valuesView();
    double tol = EigenBasis.zeroTolerance(sigma[0] + lambda, sigma.length);
    this.weights = new double[sigma.length];
    int r = 0;
    for (int j = 0; j < sigma.length; j++) {
      double mu = sigma[j] + lambda;
      if (mu > tol) {
        weights[j] = 1 / mu;
        r++;
      }
    }
    this.rank = r;
  }

  static Factorized of(Kernel kernel, double lambda) {
    checkLambda(lambda);
    int k = kernel.k();
    double[] a = kernel.meanGram();
    double maxDiagonal = 0;
    for (int i = 0; i < k; i++) {
      a[i * k + i] += lambda;
      maxDiagonal = Math.max(maxDiagonal, a[i * k + i]);
    }
    if (Lapack.choleskyLower(a, k)) {
      double[] l = a;
      double tol = maxDiagonal * k * EigenBasis.RELATIVE_ZERO_TOLERANCE;
      boolean safe = maxDiagonal > 0;
      for (int i = 0; i < k && safe; i++) {
        double pivot = l[i * k + i];
        safe = pivot * pivot > tol && Double.isFinite(pivot);
      }
      if (safe) {
        return new Factorized(kernel, lambda, l);
      }
    }
    return new Factorized(kernel, lambda, kernel.eigenBasis());
  }

  /** Rebuilds a Cholesky factorization read from a file. */
  static Factorized ofCholesky(Kernel kernel, double lambda, double[] lower) {
    return new Factorized(kernel, lambda, lower);
  }

  /** Rebuilds an eigen factorization read from a file. */
  static Factorized ofEigen(Kernel kernel, double lambda, EigenBasis basis) {
    return new Factorized(kernel, lambda, basis);
  }

  static void checkLambda(double lambda) {
    if (Double.isNaN(lambda) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException(
          "lambda given " + lambda + ": must be a finite number >= 0");
    }
    if (lambda < 0) {
      throw new IllegalArgumentException("lambda given " + lambda + ": must be >= 0");
    }
  }

  /** The kernel F = G/n that was factored. */
  public Kernel kernel() {
    return kernel;
  }

  /** The damping λ (absolute, on the mean scale). */
  public double lambda() {
    return lambda;
  }

  /** Which factorization was used. */
  public Method method() {
    return method;
  }

  /** The feature dimension k. */
  public int k() {
    return kernel.k();
  }

  /** The number of directions inverted: k for Cholesky, the numerical rank of K otherwise. */
  public int rank() {
    return rank;
  }

  /**
   * K⁻¹ v (K⁺ v on the eigen path).
   *
   * @param v a query feature vector, length k
   * @return a new vector of length k
   */
  public double[] solve(double[] v) {
    checkVector(v.length, 0);
    double[] x = v.clone();
    checkFinite(x, 0);
    solveInPlace(x);
    return x;
  }

  /**
   * K⁻¹ applied to every row.
   *
   * @param queries m x k, rows = queries
   * @return m x k, row i = K⁻¹ queries[i]
   */
  public double[][] solve(double[][] queries) {
    double[][] out = new double[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      checkVector(queries[i].length, i);
      out[i] = queries[i].clone();
      checkFinite(out[i], i);
      solveInPlace(out[i]);
    }
    return out;
  }

  /**
   * K⁻¹ applied to every row, computed in float64.
   *
   * @param queries m x k, rows = queries
   * @return m x k, row i = K⁻¹ queries[i]
   */
  public double[][] solve(float[][] queries) {
    double[][] out = new double[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      checkVector(queries[i].length, i);
      out[i] = toDouble(queries[i]);
      checkFinite(out[i], i);
      solveInPlace(out[i]);
    }
    return out;
  }

  /**
   * K⁻¹ applied to every row of an array, computed in float64.
   *
   * @param queries shape (m, k), rows = queries, float32 or float64
   * @return shape (m, k), row i = K⁻¹ queries[i], the same data type, in the queries' manager
   */
  public NDArray solve(NDArray queries) {
    Shape shape = queries.getShape();
    int k = k();
    if (shape.dimension() != 2 || shape.get(1) != k) {
      throw new IllegalArgumentException(
          "query features have shape " + shape + ": expected (m, " + k + "), rows = queries");
    }
    DataType type = queries.getDataType();
    double[] data;
    if (type == DataType.FLOAT64) {
      data = queries.toDoubleArray();
    } else if (type == DataType.FLOAT32) {
      data = toDouble(queries.toFloatArray());
    } else {
      throw new IllegalArgumentException(
          "query features have data type " + type + ": expected float32 or float64");
    }
    int m = (int) shape.get(0);
    double[] row = new double[k];
    for (int i = 0; i < m; i++) {
      System.arraycopy(data, i * k, row, 0, k);
      checkFinite(row, i);
      solveInPlace(row);
      System.arraycopy(row, 0, data, i * k, k);
    }
    if (type == DataType.FLOAT64) {
      return queries.getManager().create(data, shape);
    }
    float[] single = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      single[i] = (float) data[i];
    }
    return queries.getManager().create(single, shape);
  }

  /**
   * The quadratic form vᵀ K⁻¹ v (vᵀ K⁺ v on the eigen path), computed in float64; never negative.
   * This is the self-influence φᵀ (F + λI)⁻¹ φ of DESIGN.md's noisy-label AUC.
   *
   * @param v a feature vector, length k
   */
  public double quadraticForm(float[] v) {
    return quadraticForm(toDouble(v));
  }

  /** {@link #quadraticForm(float[])} for a float64 vector. */
  public double quadraticForm(double[] v) {
    checkVector(v.length, 0);
    checkFinite(v, 0);
    int k = k();
    double s = 0;
    if (method == Method.CHOLESKY) {
      double[] y = v.clone();
      TriangularSolver_DDRM.solveL(lower, y, k); // y = L⁻¹ v, so vᵀ K⁻¹ v = ‖y‖²
      for (double yi : y) {
        s += yi * yi;
      }
    } else {
      double[] c = project(v);
      for (int j = 0; j < rank; j++) {
        s += weights[j] * c[j] * c[j];
      }
    }
    return s;
  }

  /**
   * Writes this factorization (F, n, λ, method and the factor) in the kernel file format, version
   * {@value KernelFormat#VERSION}; one file per model ({@code DIR/kernel/model=<m>/}). The stream
   * is flushed, not closed.
   */
  public void save(OutputStream out) throws IOException {
    KernelFormat.write(this, out);
  }

  /**
   * Reads a factorization written by {@link #save(OutputStream)}.
   *
   * @throws IOException if the stream is not a kernel file, has another format version, is
   *     truncated or fails its checksum
   */
  public static Factorized load(InputStream in) throws IOException {
    return KernelFormat.read(in, -1);
  }

  /**
   * Reads a factorization and checks that its dimension is {@code expectedK}.
   *
   * @throws IOException as {@link #load(InputStream)}, or if the file's k differs
   */
  public static Factorized load(InputStream in, int expectedK) throws IOException {
    return KernelFormat.read(in, expectedK);
  }

  /** Internal view of L (CHOLESKY only). */
  double[] lowerView() {
    return lower;
  }

  /** The eigenbasis of F (EIGEN_PSEUDO_INVERSE only). */
  EigenBasis basis() {
    return basis;
  }

  @Override
  public String toString() {
    return "Factorized[k=" + k() + ", n=" + kernel.count() + ", lambda=" + lambda + ", method="
        + method + ", rank=" + rank + "]";
  }

  private Object readResolve() {
    return method == Method.CHOLESKY
        ? new Factorized(kernel, lambda, lower)
        : new Factorized(kernel, lambda, basis);
  }

  private void solveInPlace(double[] x) {
    int k = k();
    if (method == Method.CHOLESKY) {
      TriangularSolver_DDRM.solveL(lower, x, k);
      TriangularSolver_DDRM.solveU(upper, x, k);
      return;
    }
    double[] c = project(x);
    for (int j = 0; j < rank; j++) {
      c[j] *= weights[j];
    }
    double[] u = basis.vectorsView();
    for (int i = 0; i < k; i++) {
      double s = 0;
      for (int j = 0; j < rank; j++) {
        s += u[i * k + j] * c[j];
      }
      x[i] = s;
    }
  }

  /** c_j = u_jᵀ v for the first {@code rank} eigenvectors (the only ones with weight). */
  private double[] project(double[] v) {
    int k = k();
    double[] u = basis.vectorsView();
    double[] c = new double[k];
    for (int i = 0; i < k; i++) {
      double vi = v[i];
      for (int j = 0; j < rank; j++) {
        c[j] += u[i * k + j] * vi;
      }
    }
    return c;
  }

  private void checkVector(int length, int row) {
    if (length != k()) {
      throw new IllegalArgumentException(
          "query " + row + " has length " + length + ": expected k = " + k());
    }
  }

  private static void checkFinite(double[] v, int row) {
    for (int j = 0; j < v.length; j++) {
      if (!Double.isFinite(v[j])) {
        throw new IllegalArgumentException(
            "query " + row + " has " + v[j] + " at column " + j + ": features must be finite");
      }
    }
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
