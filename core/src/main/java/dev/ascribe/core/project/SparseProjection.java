package dev.ascribe.core.project;

import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sparse Johnson–Lindenstrauss projection (SJLT; Kane and Nelson 2014, "Sparser
 * Johnson-Lindenstrauss Transforms"; GraSS uses it for influence): every input coordinate j is sent
 * to s buckets (s = {@link ProjectionOptions#sparsity()}) with random signs, so projecting a vector
 * costs s·d additions instead of the 2·d·k of a dense matrix ({@link ProjectionKind#SJLT}; build it
 * with {@link Projection#of}).
 *
 * <h2>Definition, format version {@value #FORMAT_VERSION}</h2>
 *
 * Features written with it depend on this definition; it must not change without a new format
 * version. The k rows are cut into s contiguous groups, group t holding rows {@code [lo(t), lo(t +
 * 1))} with {@code lo(t) = t * k / s} (integer division), so the s buckets of a coordinate are
 * distinct. With {@link CounterRandom} and {@code h = bits(key(seed, t), j)}:
 *
 * <pre>
 *   bucket_t(j) = lo(t) + ((h >>> 32) * (lo(t + 1) - lo(t))) >>> 32     (unsigned 64-bit arithmetic)
 *   sign_t(j)   = +1 if (h & 1) == 0, else -1
 *   P[r, j]     = Σ_t [bucket_t(j) == r] · sign_t(j) / sqrt(s)
 * </pre>
 *
 * Each column has s nonzeros of magnitude 1/sqrt(s), so {@code ||P e_j||² = 1} and {@code E ||P
 * g||² = ||g||²} for every g (the signs are independent and centred). Nothing is stored: bucket and
 * sign are a pure function of (seed, t, j), so every executor regenerates the same matrix.
 *
 * <p>Applied by {@link SparseProjector} to batches of whole gradients, or coordinate block by
 * coordinate block through a {@link SparseSketch} (a linear layer's δ aᵀ without forming it). Sums
 * are taken in double, in ascending coordinate order, then rounded to the input's precision.
 * Immutable and thread-safe.
 */
public final class SparseProjection implements Projection {
  /** Version of the definition above; stored with every projected feature set. */
  public static final int FORMAT_VERSION = 1;

  private final ProjectionOptions options;
  private final int inputDim;
  private final int sparsity;
  private final int[] groupStart;
  private final long[] keys;
  private final double scale;

  /**
   * Made by {@link ProjectionKind#SJLT}.
   *
   * @throws IllegalArgumentException if {@code inputDim < 1} or the sparsity exceeds k
   */
  SparseProjection(ProjectionOptions options, int inputDim) {
    if (inputDim < 1) {
      throw new IllegalArgumentException("projection input dimension given " + inputDim
          + ": must be >= 1");
    }
    int k = options.dim();
    int s = options.sparsity();
    if (s > k) {
      throw new IllegalArgumentException("option projection.sparsity given " + s + " for"
          + " projection.dim " + k + ": each coordinate needs s distinct buckets, so s <= k");
    }
    this.options = options;
    this.inputDim = inputDim;
    this.sparsity = s;
    this.groupStart = new int[s + 1];
    this.keys = new long[s];
    for (int t = 0; t <= s; t++) {
      groupStart[t] = (int) ((long) t * k / s);
    }
    for (int t = 0; t < s; t++) {
      keys[t] = CounterRandom.key(options.seed(), t);
    }
    this.scale = 1.0 / Math.sqrt(s);
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

  /** s, the number of buckets each coordinate is sent to. */
  public int sparsity() {
    return sparsity;
  }

  /** 1/sqrt(s), the magnitude of every nonzero entry. */
  double scale() {
    return scale;
  }

  /**
   * Coordinate j's bucket and sign in group t, packed as {@code bucket << 1 | (sign < 0 ? 1 : 0)}
   * (the definition above).
   */
  int code(int t, int j) {
    long h = CounterRandom.bits(keys[t], j);
    long width = groupStart[t + 1] - groupStart[t];
    int bucket = groupStart[t] + (int) (((h >>> 32) * width) >>> 32);
    return bucket << 1 | (int) (h & 1L);
  }

  @Override
  public double entry(int r, int j) {
    if (r < 0 || r >= outputDim() || j < 0 || j >= inputDim) {
      throw new IndexOutOfBoundsException("projection entry (" + r + ", " + j
          + ") is outside " + outputDim() + " x " + inputDim);
    }
    double value = 0;
    for (int t = 0; t < sparsity; t++) {
      int code = code(t, j);
      if (code >>> 1 == r) {
        value += (code & 1) == 0 ? scale : -scale;
      }
    }
    return value;
  }

  @Override
  public Projector open(NDManager manager) {
    return new SparseProjector(this);
  }

  /** A new sketch: applies this projection block by block, one vector at a time. */
  public SparseSketch sketch() {
    return new SparseSketch(this);
  }

  /**
   * The packed codes of every coordinate, group by group ({@code table[t * d + j]}), or null when
   * they would take more than the options' cache budget: then callers hash each coordinate anew.
   */
  int[] codeTable() {
    long entries = (long) sparsity * inputDim;
    if (entries * Integer.BYTES > options.cacheBytes() || entries > Integer.MAX_VALUE - 8) {
      return null;
    }
    int[] table = new int[(int) entries];
    for (int t = 0; t < sparsity; t++) {
      for (int j = 0, base = t * inputDim; j < inputDim; j++) {
        table[base + j] = code(t, j);
      }
    }
    return table;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("formatVersion", FORMAT_VERSION);
    map.put("kind", options.kind().name());
    map.put("outputDim", outputDim());
    map.put("inputDim", inputDim);
    map.put("seed", options.seed());
    map.put("sparsity", sparsity);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "SparseProjection" + describe();
  }
}
