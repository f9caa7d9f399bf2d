package dev.ascribe.core.precondition;

import dev.ascribe.core.linalg.EigenBasis;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.linalg.Lapack;
import dev.ascribe.core.model.TappedLayer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kronecker-factored inverse curvature of one checkpoint (K-FAC, EK-FAC) applied to whole
 * query gradients, layer by layer: for a layer with gradient block G (out x (in + 1), the bias as
 * the last column),
 *
 * <pre>
 *   G ↦ Q_S [ (Q_Sᵀ G Q_A) / (Λ + λ) ] Q_Aᵀ      (elementwise division)
 * </pre>
 *
 * with Λ = d_S d_Aᵀ for K-FAC (so this is (S ⊗ A + λI)⁻¹) and the refitted eigenvalues of {@link
 * EigenCorrectionFit} for EK-FAC. λ is on the mean scale; a relative λ or {@code auto} is taken
 * against the mean non-zero entry of Λ over all layers (the mean non-zero eigenvalue of the
 * block-diagonal curvature). Where Λ + λ is zero (λ = 0 and a zero eigenvalue) the pseudo-inverse
 * is used: that direction maps to 0.
 *
 * <p>Queries are whole gradients in the model's flat parameter order; the tapped layers must hold
 * every parameter.
 */
public final class KfacPreconditioner implements Preconditioner {
  private static final long serialVersionUID = 1L;

  /** Version of the stored form ({@link #save}); a change of layout increments it. */
  public static final int FORMAT_VERSION = 1;
  private static final int MAGIC = 0x4B464143; // "KFAC"

  private final KfacOptions.Variant variant;
  private final String lambdaOption;
  private final double lambda;
  private final double meanEigenvalue;
  private final int parameters;
  private final List<Block> blocks;
  // Seconds per fitting step where this process fitted it (null when read back from storage).
  private final transient Map<String, Double> fitSeconds;

  /** One layer's eigenbases and eigenvalues. */
  private record Block(TappedLayer layer, double[] inputVectors, double[] outputVectors,
      double[] eigenvalues) implements java.io.Serializable {
    int in() {
      return layer.in() + 1;
    }
  }

  private KfacPreconditioner(KfacOptions.Variant variant, String lambdaOption, double lambda,
      double meanEigenvalue, int parameters, List<Block> blocks, Map<String, Double> fitSeconds) {
    this.variant = variant;
    this.lambdaOption = lambdaOption;
    this.lambda = lambda;
    this.meanEigenvalue = meanEigenvalue;
    this.parameters = parameters;
    this.blocks = List.copyOf(blocks);
    this.fitSeconds = fitSeconds == null ? null : Map.copyOf(fitSeconds);
  }

  /**
   * K-FAC ({@code corrections} null) or EK-FAC (Λ per layer from {@link EigenCorrectionFit}).
   *
   * @param parameters d, the width of the query gradients
   * @param fitSeconds seconds of each fitting step, for provenance (null if not timed)
   */
  public static KfacPreconditioner of(KroneckerFactors factors, List<double[]> corrections,
      LambdaSpec lambda, int parameters, Map<String, Double> fitSeconds) {
    KfacOptions.Variant variant = corrections == null ? KfacOptions.Variant.KFAC
        : KfacOptions.Variant.EKFAC;
    List<Block> blocks = new ArrayList<>();
    for (int l = 0; l < factors.layers().size(); l++) {
      KroneckerFactors.Layer f = factors.layers().get(l);
      double[] values = corrections == null ? f.productEigenvalues() : corrections.get(l);
      if (values.length != f.layer().out() * f.inputWidth()) {
        throw new IllegalArgumentException("eigenvalue correction of layer " + l + " has "
            + values.length + " entries: expected " + f.layer().out() * f.inputWidth());
      }
      blocks.add(new Block(f.layer(), f.inputBasis().vectors(), f.outputBasis().vectors(),
          values));
    }
    double mean = meanNonZero(blocks);
    double resolved = lambda.resolve(() -> {
      if (Double.isNaN(mean)) {
        throw new IllegalArgumentException("lambda given " + lambda + ": the " + variant.method()
            + " curvature has no non-zero eigenvalue (every gradient is zero?); give an absolute"
            + " value");
      }
      return mean;
    });
    return new KfacPreconditioner(variant, lambda.toString(), resolved, mean, parameters,
        blocks, fitSeconds);
  }

  /** The mean of the eigenvalues above the zero rule ({@link EigenBasis#zeroTolerance}); NaN if none. */
  private static double meanNonZero(List<Block> blocks) {
    double max = 0;
    long count = 0;
    for (Block b : blocks) {
      for (double v : b.eigenvalues) {
        max = Math.max(max, v);
      }
      count += b.eigenvalues.length;
    }
    double tolerance = EigenBasis.zeroTolerance(max, (int) Math.min(Integer.MAX_VALUE, count));
    double sum = 0;
    long nonZero = 0;
    for (Block b : blocks) {
      for (double v : b.eigenvalues) {
        if (max > 0 && v > tolerance) {
          sum += v;
          nonZero++;
        }
      }
    }
    return nonZero == 0 ? Double.NaN : sum / nonZero;
  }

  /** λ resolved (mean scale). */
  public double lambda() {
    return lambda;
  }

  @Override
  public float[] apply(float[] queries, int m) {
    if (queries.length != (long) m * parameters) {
      throw new IllegalArgumentException("query features hold " + queries.length + " values: "
          + m + " whole gradients of " + parameters + " parameters expected");
    }
    return apply(queries, m, chunkRows());
  }

  /** As {@link #apply(float[], int)}, {@code chunk} queries at a time. */
  float[] apply(float[] queries, int m, int chunk) {
    float[] result = new float[queries.length];
    for (int from = 0; from < m; from += chunk) {
      int rows = Math.min(m, from + chunk) - from;
      for (Block b : blocks) {
        applyLayer(b, queries, result, from, rows);
      }
    }
    return result;
  }

  /**
   * Bytes of one layer's working arrays for the queries solved together: a layer holds about six
   * double arrays of its block size per query, so solving all rows at once (self-influence passes
   * thousands of training gradients) would hold 6 x 8 x m x d bytes.
   */
  static final long CHUNK_BYTES = 32L << 20;

  /** Queries solved together: as many as keep the largest layer's arrays within the budget. */
  private int chunkRows() {
    long largest = 1;
    for (Block b : blocks) {
      largest = Math.max(largest, (long) b.layer.out() * b.in());
    }
    return (int) Math.max(1, CHUNK_BYTES / (8 * largest));
  }

  /** One layer of queries [from, from + m): gather G, rotate, divide, rotate back, scatter. */
  private void applyLayer(Block b, float[] queries, float[] result, int from, int m) {
    int in = b.in();
    int out = b.layer.out();
    int w = b.layer.weightOffset();
    int bias = b.layer.biasOffset();
    // G of every query stacked: (m·out) x in.
    double[] g = new double[m * out * in];
    for (int q = 0; q < m; q++) {
      int base = (from + q) * parameters;
      for (int o = 0; o < out; o++) {
        int row = (q * out + o) * in;
        for (int j = 0; j < in - 1; j++) {
          g[row + j] = queries[base + w + o * (in - 1) + j];
        }
        g[row + in - 1] = queries[base + bias + o];
      }
    }
    double[] right = Lapack.product(g, m * out, in, false, b.inputVectors, in, in, false);
    // Q_Sᵀ from the left for every query at once: lay the queries side by side, out x (m·in).
    double[] wide = toWide(right, m, out, in);
    double[] rotated = Lapack.product(b.outputVectors, out, out, true, wide, out, m * in, false);
    for (int o = 0; o < out; o++) {
      for (int q = 0; q < m; q++) {
        for (int j = 0; j < in; j++) {
          int at = o * m * in + q * in + j;
          double denominator = b.eigenvalues[o * in + j] + lambda;
          rotated[at] = denominator > 0 ? rotated[at] / denominator : 0;
        }
      }
    }
    double[] back = Lapack.product(b.outputVectors, out, out, false, rotated, out, m * in, false);
    double[] stacked = fromWide(back, m, out, in);
    double[] solved = Lapack.product(stacked, m * out, in, false, b.inputVectors, in, in, true);
    for (int q = 0; q < m; q++) {
      int base = (from + q) * parameters;
      for (int o = 0; o < out; o++) {
        int row = (q * out + o) * in;
        for (int j = 0; j < in - 1; j++) {
          result[base + w + o * (in - 1) + j] = (float) solved[row + j];
        }
        result[base + bias + o] = (float) solved[row + in - 1];
      }
    }
  }

  /** (m·out) x in, query-major, to out x (m·in). */
  private static double[] toWide(double[] stacked, int m, int out, int in) {
    double[] wide = new double[stacked.length];
    for (int q = 0; q < m; q++) {
      for (int o = 0; o < out; o++) {
        System.arraycopy(stacked, (q * out + o) * in, wide, o * m * in + q * in, in);
      }
    }
    return wide;
  }

  /** The inverse of {@link #toWide}. */
  private static double[] fromWide(double[] wide, int m, int out, int in) {
    double[] stacked = new double[wide.length];
    for (int q = 0; q < m; q++) {
      for (int o = 0; o < out; o++) {
        System.arraycopy(wide, o * m * in + q * in, stacked, (q * out + o) * in, in);
      }
    }
    return stacked;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", variant.name().toLowerCase(Locale.ROOT));
    m.put("lambda_option", lambdaOption);
    m.put("lambda", lambda);
    m.put("mean_nonzero_eigenvalue", Double.isNaN(meanEigenvalue) ? "none" : meanEigenvalue);
    m.put("parameters", parameters);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Block b : blocks) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("tap", b.layer.index());
      l.put("input_factor", b.in() + " x " + b.in());
      l.put("output_factor", b.layer.out() + " x " + b.layer.out());
      layers.add(l);
    }
    m.put("layers", layers);
    if (fitSeconds != null) {
      m.put("fit_seconds", new java.util.TreeMap<>(fitSeconds));
    }
    return m;
  }

  /** Writes the eigenbases, eigenvalues and λ (read back by {@link #load}). */
  public void save(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(stream));
    out.writeInt(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeUTF(variant.name());
    out.writeUTF(lambdaOption);
    out.writeDouble(lambda);
    out.writeDouble(meanEigenvalue);
    out.writeInt(parameters);
    out.writeInt(blocks.size());
    for (Block b : blocks) {
      TappedLayer t = b.layer;
      out.writeInt(t.index());
      out.writeInt(t.in());
      out.writeInt(t.out());
      out.writeInt(t.weightOffset());
      out.writeInt(t.biasOffset());
      writeDoubles(out, b.inputVectors);
      writeDoubles(out, b.outputVectors);
      writeDoubles(out, b.eigenvalues);
    }
    out.flush();
  }

  /**
   * Reads a stored preconditioner for queries of {@code parameters} parameters.
   *
   * @throws IOException when the stream is not a stored K-FAC preconditioner of this version or
   *     of that width
   */
  public static KfacPreconditioner load(InputStream stream, int parameters) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(stream));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a stored K-FAC preconditioner (no KFAC header)");
    }
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new IOException("stored K-FAC preconditioner has format version " + version
          + ": this build reads " + FORMAT_VERSION);
    }
    KfacOptions.Variant variant = KfacOptions.Variant.valueOf(in.readUTF());
    String lambdaOption = in.readUTF();
    double lambda = in.readDouble();
    double mean = in.readDouble();
    int stored = in.readInt();
    if (stored != parameters) {
      throw new IOException("stored K-FAC preconditioner is for " + stored
          + " parameters: expected " + parameters);
    }
    int count = in.readInt();
    List<Block> blocks = new ArrayList<>();
    for (int l = 0; l < count; l++) {
      TappedLayer t = new TappedLayer(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
          in.readInt());
      int width = t.in() + 1;
      blocks.add(new Block(t, readDoubles(in, width * width), readDoubles(in, t.out() * t.out()),
          readDoubles(in, t.out() * width)));
    }
    return new KfacPreconditioner(variant, lambdaOption, lambda, mean, parameters, blocks,
        null);
  }

  private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  private static double[] readDoubles(DataInputStream in, int expected) throws IOException {
    int length = in.readInt();
    if (length != expected) {
      throw new IOException("stored K-FAC array has " + length + " entries: expected "
          + expected);
    }
    double[] values = new double[length];
    for (int j = 0; j < length; j++) {
      values[j] = in.readDouble();
    }
    return values;
  }
}
