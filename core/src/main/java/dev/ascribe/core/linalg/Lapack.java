package dev.ascribe.core.linalg;

import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;

/**
 * The dense float64 operations Ascribe runs on the driver's matrices (Gram products, products
 * with eigenbases, symmetric eigendecomposition, Cholesky), by BLAS and LAPACK: OpenBLAS's, native and bundled
 * for linux-x86_64 through JavaCPP like libtorch is through DJL (nothing is downloaded). At k =
 * 2048 the eigendecomposition takes 1.4 s on one thread against EJML's 11.5 s, and the 5000 x 5000
 * dual kernel of MNIST-LR's whole gradients becomes affordable.
 *
 * <p>All matrices are k x k row-major double arrays. OpenBLAS uses {@link #threads()} threads
 * (system property {@value #THREADS_PROPERTY}, default: the available processors). Results are
 * bit-identical for the same input, thread count and processor kind ({@link #describe()}); another
 * thread count changes the last bits of the factorizations (not of {@link #gramUpper}).
 */
public final class Lapack {
  /** The system property that sets OpenBLAS's thread count. */
  public static final String THREADS_PROPERTY = "ascribe.linalg.threads";

  private static final int THREADS = startThreads();

  private Lapack() {}

  /**
   * OpenBLAS's build, the CPU kernels it chose at load time (it picks them per processor, so
   * another processor kind may change the last bits too) and the thread count, for provenance.
   */
  public static String describe() {
    return openblas_full.openblas_get_config().getString() + ", " + THREADS + " threads";
  }

  /** The number of threads OpenBLAS runs on. */
  public static int threads() {
    return THREADS;
  }

  /**
   * Eigenvalues, and optionally eigenvectors, of a symmetric matrix (LAPACK dsyevd, divide and
   * conquer; only the upper triangle is read).
   *
   * @param a k x k row-major; overwritten: with {@code vectors}, column j (entries [i·k + j]) holds
   *     the unit eigenvector of values[j], otherwise it is destroyed
   * @param values receives the k eigenvalues in ascending order
   * @throws ArithmeticException if LAPACK does not converge
   */
  static void symmetricEigen(double[] a, int k, boolean vectors, double[] values) {
    check(a, k);
    int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) (vectors ? 'V' : 'N'),
        (byte) 'U', k, a, k, values);
    if (info != 0) {
      throw new ArithmeticException("symmetric eigendecomposition of a " + k + " x " + k
          + " matrix failed (LAPACK dsyevd info = " + info + "): does it hold huge or non-finite"
          + " values?");
    }
  }

  /**
   * Cholesky factorization A = L Lᵀ in place (LAPACK dpotrf; reads the lower triangle).
   *
   * @param a k x k row-major; on success overwritten by L, with zeros above the diagonal
   * @return false if A is not positive definite (then {@code a} holds a partial factor)
   */
  public static boolean choleskyLower(double[] a, int k) {
    check(a, k);
    int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'L', k, a, k);
    if (info < 0) {
      throw new IllegalArgumentException("LAPACK dpotrf rejected argument " + (-info));
    }
    if (info > 0) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      java.util.Arrays.fill(a, i * k + i + 1, i * k + k, 0);
    }
    return true;
  }

  /**
   * Solves (L Lᵀ) X = B for several right-hand sides at once (LAPACK dpotrs), in LAPACK's own
   * column-major layout: LAPACKE's row-major layout would copy L (8 k² bytes: 493 MB for MNIST-LR's
   * 7,850 parameters) and B into transposed native buffers on every call.
   *
   * @param lowerColumns L column-major in the lower triangle ({@link #choleskyColumns})
   * @param b right-hand sides column-major, k x columns (column j at [j·k, (j+1)·k)); overwritten
   *     by X
   */
  public static void choleskySolveColumns(double[] lowerColumns, int k, double[] b,
      int columns) {
    check(lowerColumns, k);
    if (b.length != (long) k * columns) {
      throw new IllegalArgumentException("right-hand sides have " + b.length + " entries:"
          + " expected k·columns = " + (long) k * columns);
    }
    int info = openblas.LAPACKE_dpotrs(openblas.LAPACK_COL_MAJOR, (byte) 'L', k, columns,
        lowerColumns, k, b, k);
    if (info != 0) {
      throw new IllegalArgumentException("LAPACK dpotrs rejected argument " + (-info));
    }
  }

  /**
   * Cholesky factorization A = L Lᵀ of a symmetric matrix stored whole, in place, in LAPACK's own
   * column-major layout (dpotrf on the lower triangle). A symmetric matrix is the same array in
   * either layout, so this is the factorization {@link #choleskyLower} computes, without the
   * transposed native copy (8 k² bytes) that LAPACKE's row-major layout makes.
   *
   * @param a k x k, symmetric; on success its lower triangle (column-major) holds L, for {@link
   *     #choleskySolveColumns}; the strict upper triangle keeps A's values
   * @return false if A is not positive definite
   */
  public static boolean choleskyColumns(double[] a, int k) {
    check(a, k);
    int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', k, a, k);
    if (info < 0) {
      throw new IllegalArgumentException("LAPACK dpotrf rejected argument " + (-info));
    }
    return info == 0;
  }

  /**
   * The Gram matrix XᵀX of n rows (BLAS dsyrk). Each entry is computed by one thread over all n
   * rows in the same order, so the result is bit-identical on any thread count.
   *
   * @param rows n x k row-major
   * @return k x k row-major; the upper triangle (b ≥ a) holds XᵀX, the rest is zero
   */
  public static double[] gramUpper(double[] rows, int n, int k) {
    if (n < 1 || k < 1 || rows.length != (long) n * k) {
      throw new IllegalArgumentException("rows have " + rows.length + " entries: expected n·k"
          + " for n = " + n + ", k = " + k);
    }
    double[] gram = new double[k * k];
    openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, k, n,
        1.0, rows, k, 0.0, gram, k);
    return gram;
  }

  /**
   * The product op(A) op(B) (BLAS dgemm), op transposing its matrix when asked.
   *
   * @param a rows x cols row-major
   * @param b rows x cols row-major
   * @return row-major, op(A)'s rows x op(B)'s columns
   */
  public static double[] product(double[] a, int aRows, int aCols, boolean transposeA,
      double[] b, int bRows, int bCols, boolean transposeB) {
    if (a.length != (long) aRows * aCols || b.length != (long) bRows * bCols) {
      throw new IllegalArgumentException("product of " + aRows + " x " + aCols + " and " + bRows
          + " x " + bCols + " matrices given arrays of " + a.length + " and " + b.length
          + " entries");
    }
    int m = transposeA ? aCols : aRows;
    int inner = transposeA ? aRows : aCols;
    int n = transposeB ? bRows : bCols;
    if (inner != (transposeB ? bCols : bRows)) {
      throw new IllegalArgumentException("product of " + m + " x " + inner + " and "
          + (transposeB ? bCols : bRows) + " x " + n + " matrices: inner dimensions differ");
    }
    double[] c = new double[m * n];
    openblas.cblas_dgemm(openblas.CblasRowMajor,
        transposeA ? openblas.CblasTrans : openblas.CblasNoTrans,
        transposeB ? openblas.CblasTrans : openblas.CblasNoTrans,
        m, n, inner, 1.0, a, aCols, b, bCols, 0.0, c, n);
    return c;
  }

  private static void check(double[] a, int k) {
    if (k < 1 || a.length != (long) k * k) {
      throw new IllegalArgumentException(
          "matrix has " + a.length + " entries: expected k·k for k = " + k);
    }
  }

  private static int startThreads() {
    int threads = parseThreads(System.getProperty(THREADS_PROPERTY),
        Runtime.getRuntime().availableProcessors());
    openblas_full.openblas_set_num_threads(threads);
    return threads;
  }

  /** The thread count a {@value #THREADS_PROPERTY} value asks for; {@code given} may be null. */
  static int parseThreads(String given, int fallback) {
    if (given == null) {
      return fallback;
    }
    int threads;
    try {
      threads = Integer.parseInt(given.trim());
    } catch (NumberFormatException e) {
      threads = 0;
    }
    if (threads < 1) {
      throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " is '" + given
          + "': expected a whole number of threads >= 1");
    }
    return threads;
  }
}
