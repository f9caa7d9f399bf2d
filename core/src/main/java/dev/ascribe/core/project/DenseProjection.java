package dev.ascribe.core.project;

import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dense random {@link Projection} {@code P} (k x d) of i.i.d. entries, Gaussian or Rademacher
 * ({@link ProjectionKind#GAUSSIAN}, {@link ProjectionKind#RADEMACHER}; build it with {@link
 * Projection#of}). Applied by {@link DenseProjector}, one libtorch matMul per column block.
 *
 * <h2>Stored layout, format version {@value #FORMAT_VERSION}</h2>
 *
 * Features written with a projection depend on this definition; it must not change without a new
 * format version. With {@code k = dim}, {@code bs = blockSize} and {@link CounterRandom}:
 *
 * <pre>
 *   P[r, j] = scale * z(key(seed, b), r * bs + (j - b * bs)),   b = j / bs (integer division)
 *   scale   = 1.0 / Math.sqrt(k)                                  (double; note: not z / sqrt(k))
 * </pre>
 *
 * for {@code 0 <= r < k} and {@code 0 <= j < d}, where {@code z} is {@link CounterRandom#gaussian}
 * or {@link CounterRandom#rademacher} by the options' kind and {@code key} is {@link
 * CounterRandom#key}. The column blocks {@code [b bs, min((b + 1) bs, d))} are independent streams,
 * so any process can generate any block. The counter does not depend on k: the first k' rows of a
 * k-row matrix are the k'-row matrix times {@code sqrt(k'/k)}. The float32 matrix is each double
 * entry rounded to float; the float64 matrix is the double entries. {@code blockSize} is part of
 * the definition; {@code cacheBytes} is not.
 *
 * <p>Immutable and thread-safe; a {@link Projector} session (from {@link #open}) is not.
 */
public final class DenseProjection implements Projection {
  /** Version of the layout defined above; stored with every projected feature set. */
  public static final int FORMAT_VERSION = 1;

  /** The generator of the raw (unscaled) entries, one per dense {@link ProjectionKind}. */
  enum Entries {
    /** {@link CounterRandom#gaussian}. */
    GAUSSIAN {
      @Override
      double value(long key, long counter) {
        return CounterRandom.gaussian(key, counter);
      }

      @Override
      void fill(long key, long first, double[] out, int off, int len) {
        CounterRandom.gaussians(key, first, out, off, len);
      }
    },
    /** {@link CounterRandom#rademacher}. */
    RADEMACHER {
      @Override
      double value(long key, long counter) {
        return CounterRandom.rademacher(key, counter);
      }

      @Override
      void fill(long key, long first, double[] out, int off, int len) {
        CounterRandom.rademachers(key, first, out, off, len);
      }
    };

    /** The raw value at {@code counter} of the stream with the given key. */
    abstract double value(long key, long counter);

    /** The raw values at counters {@code first .. first + len - 1} into out[off..]. */
    abstract void fill(long key, long first, double[] out, int off, int len);
  }

  private final ProjectionOptions options;
  private final Entries entries;
  private final int inputDim;
  private final int numBlocks;
  private final double scale;

  /**
   * Made by {@link ProjectionKind}, which pairs each dense kind with its entries.
   *
   * @param options projection options (k = {@code options.dim()})
   * @param inputDim d, the length of the vectors to project (number of columns of P)
   * @param entries the generator of {@code options.kind()}
   * @throws IllegalArgumentException if {@code inputDim < 1}
   */
  DenseProjection(ProjectionOptions options, int inputDim, Entries entries) {
    this.options = Objects.requireNonNull(options, "options");
    this.entries = Objects.requireNonNull(entries, "entries");
    if (inputDim < 1) {
      throw new IllegalArgumentException(
          "projection input dimension given " + inputDim + ": must be >= 1");
    }
    this.inputDim = inputDim;
    this.numBlocks = (int) (((long) inputDim + options.blockSize() - 1) / options.blockSize());
    this.scale = 1.0 / Math.sqrt(options.dim());
  }

  @Override
  public ProjectionOptions options() {
    return options;
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int outputDim() {
    return options.dim();
  }

  /** {@code 1/sqrt(k)}, the factor applied to every raw generator value. */
  public double scale() {
    return scale;
  }

  /** Number of column blocks, {@code ceil(d / blockSize)}. */
  public int numBlocks() {
    return numBlocks;
  }

  /** First column of block {@code b}. */
  public int blockStart(int b) {
    checkBlock(b);
    return b * options.blockSize();
  }

  /** Number of columns of block {@code b}: blockSize, or less for the last block. */
  public int blockWidth(int b) {
    checkBlock(b);
    return Math.min(options.blockSize(), inputDim - b * options.blockSize());
  }

  @Override
  public double entry(int r, int j) {
    if (r < 0 || r >= outputDim() || j < 0 || j >= inputDim) {
      throw new IndexOutOfBoundsException(
          "projection entry (" + r + ", " + j + ") is outside " + outputDim() + " x " + inputDim);
    }
    int bs = options.blockSize();
    int b = j / bs;
    long key = CounterRandom.key(options.seed(), b);
    long counter = (long) r * bs + (j - (long) b * bs);
    return scale * entries.value(key, counter);
  }

  /**
   * Block {@code b} of P in float32: the columns {@code [blockStart(b), blockStart(b) + w)}, {@code
   * w = blockWidth(b)}, as a row-major k x w array: element {@code [r * w + jj]} is {@code (float)
   * P[r, blockStart(b) + jj]}.
   */
  public float[] block(int b) {
    float[] out = new float[outputDim() * blockWidth(b)];
    fillBlock(b, out);
    return out;
  }

  /** Block {@code b} of P in float64, same k x w row-major layout as {@link #block(int)}. */
  public double[] blockAsDouble(int b) {
    double[] out = new double[outputDim() * blockWidth(b)];
    fillBlock(b, out);
    return out;
  }

  /**
   * Fills {@code out} (length at least k * w) with block {@code b} as in {@link #blockAsDouble}.
   */
  void fillBlock(int b, double[] out) {
    int w = blockWidth(b);
    for (int r = 0, k = outputDim(); r < k; r++) {
      rawRow(b, r, out, r * w, w);
      for (int i = r * w, end = i + w; i < end; i++) {
        out[i] *= scale;
      }
    }
  }

  /** Fills {@code out} (length at least k * w) with block {@code b} as in {@link #block(int)}. */
  void fillBlock(int b, float[] out) {
    int w = blockWidth(b);
    double[] row = new double[w];
    for (int r = 0, k = outputDim(); r < k; r++) {
      rawRow(b, r, row, 0, w);
      int base = r * w;
      for (int jj = 0; jj < w; jj++) {
        out[base + jj] = (float) (scale * row[jj]);
      }
    }
  }

  /** Unscaled generator values of row r of block b (w consecutive counters) into out[off..]. */
  private void rawRow(int b, int r, double[] out, int off, int w) {
    long key = CounterRandom.key(options.seed(), b);
    entries.fill(key, (long) r * options.blockSize(), out, off, w);
  }

  @Override
  public Projector open(NDManager manager) {
    return new DenseProjector(this, manager);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("formatVersion", FORMAT_VERSION);
    map.put("kind", options.kind().name());
    map.put("outputDim", outputDim());
    map.put("inputDim", inputDim);
    map.put("seed", options.seed());
    map.put("blockSize", options.blockSize());
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "DenseProjection" + describe();
  }

  private void checkBlock(int b) {
    if (b < 0 || b >= numBlocks) {
      throw new IndexOutOfBoundsException(
          "projection block " + b + " is outside [0, " + numBlocks + ")");
    }
  }
}
