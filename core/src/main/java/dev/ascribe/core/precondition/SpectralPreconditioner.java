package dev.ascribe.core.precondition;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.select.FeatureSpectrum;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * K⁻¹ with K = (1/n) ΦᵀΦ + λI (TRAK, IF-FIM) applied through the kernel's non-zero spectrum
 * (F = U diag(σ) Uᵀ, {@link FeatureSpectrum}) instead of a factorization of the k x k kernel: ψ =
 * U diag(1/(σ + λ)) Uᵀ g'. The part of K⁻¹ g' outside the row space of Φ is dropped, which no
 * training score sees (Φ maps it to 0). Used when k > n, where the spectrum comes from the n x n
 * dual matrix (1/n) ΦΦᵀ ({@link FeatureSpectrum#dualIsSmaller}): whole gradients of a model with
 * more parameters than training rows no longer build a d x d kernel.
 */
public final class SpectralPreconditioner implements Preconditioner {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x53504543; // "SPEC"
  /** Version of the stored form ({@link #save}). */
  public static final int FORMAT_VERSION = 1;

  private final FeatureSpectrum spectrum;
  private final String lambdaOption;
  private final double lambda;
  private final long n;

  private SpectralPreconditioner(FeatureSpectrum spectrum, String lambdaOption, double lambda,
      long n) {
    this.spectrum = spectrum;
    this.lambdaOption = lambdaOption;
    this.lambda = lambda;
    this.n = n;
  }

  /**
   * The spectrum of one checkpoint's whole training feature matrix, λ resolved against its mean
   * non-zero eigenvalue (the same eigenvalues as the k x k kernel's).
   */
  public static SpectralPreconditioner fit(FeatureMatrix train, LambdaSpec lambda) {
    FeatureSpectrum spectrum = FeatureSpectrum.of(train);
    return new SpectralPreconditioner(spectrum, lambda.toString(),
        lambda.resolve(spectrum::meanEigenvalue), train.size());
  }

  /** The spectrum (for the λ report). */
  public FeatureSpectrum spectrum() {
    return spectrum;
  }

  /** λ resolved (mean scale). */
  public double lambda() {
    return lambda;
  }

  @Override
  public float[] apply(float[] queries, int m) {
    return spectrum.precondition(spectrum.coordinates(queries, m), m, lambda);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "kernel");
    m.put("lambda_option", lambdaOption);
    m.put("lambda", lambda);
    m.put("factorization", "spectrum (" + spectrum.form().name().toLowerCase(java.util.Locale.ROOT)
        + ": the " + (spectrum.form() == FeatureSpectrum.Form.DUAL ? n + " x " + n
            : spectrum.dim() + " x " + spectrum.dim()) + " matrix)");
    m.put("mean_nonzero_eigenvalue", spectrum.rank() == 0 ? "none" : spectrum.meanEigenvalue());
    m.put("kernel_rank", spectrum.rank());
    m.put("n", n);
    m.put("k", spectrum.dim());
    return m;
  }

  /** Writes λ and the spectrum (read back by {@link #load}). */
  public void save(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
    out.writeInt(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeUTF(lambdaOption);
    out.writeDouble(lambda);
    out.writeLong(n);
    spectrum.write(out);
    out.flush();
  }

  /**
   * Whether a stream (which must support mark and reset) starts with this class's stored form;
   * the stream is left where it was.
   */
  public static boolean isStored(InputStream markable) throws IOException {
    markable.mark(4);
    try {
      return new DataInputStream(markable).readInt() == MAGIC;
    } catch (java.io.EOFException e) {
      return false;
    } finally {
      markable.reset();
    }
  }

  /**
   * Reads a stored spectral preconditioner for features of width {@code k}.
   *
   * @throws IOException when the stream is not one of this version or width
   */
  public static SpectralPreconditioner load(InputStream stream, int k) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a stored spectral preconditioner (no SPEC header)");
    }
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new IOException("stored spectral preconditioner has format version " + version
          + ": this build reads " + FORMAT_VERSION);
    }
    String option = in.readUTF();
    double lambda = in.readDouble();
    long n = in.readLong();
    return new SpectralPreconditioner(FeatureSpectrum.read(in, k), option, lambda, n);
  }
}
