package dev.ascribe.core.project;

import dev.ascribe.core.option.OptionSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable options of a {@link Projection}, made with {@link #builder()}:
 *
 * <pre>{@code
 * ProjectionOptions options = ProjectionOptions.builder().setDim(2048).optSeed(7).build();
 * }</pre>
 *
 * <p>{@code dim}, {@code kind}, {@code seed}, {@code blockSize} and, by kind, {@code sparsity}
 * (sjlt) or the side dimensions (factorized) define the matrix; {@code
 * cacheBytes} only trades memory for time and never changes a result. Equality compares the values;
 * which of them were set explicitly is kept for provenance ({@link #toMap()}) only.
 */
public final class ProjectionOptions {
  /**
   * Default kind: the sparse JL projection (SJLT). At k = 512 it gave the LDS of the dense Gaussian
   * projection within 0.01 on both MNIST settings (README, "Projections") at a fraction of the cost.
   */
  public static final ProjectionKind DEFAULT_KIND = ProjectionKind.SJLT;

  /** Default seed. */
  public static final long DEFAULT_SEED = 0L;

  /** Default sparsity of {@link ProjectionKind#SJLT}: one bucket per coordinate. */
  public static final int DEFAULT_SPARSITY = 1;

  /** Default number of input coordinates per generated block. */
  public static final int DEFAULT_BLOCK_SIZE = 4096;

  /** Default budget for blocks cached by a {@link Projector} session: 512 MiB. */
  public static final long DEFAULT_CACHE_BYTES = 512L << 20;

  /** The largest Java array a block may need (k x blockSize values). */
  static final long MAX_BLOCK_VALUES = Integer.MAX_VALUE - 8;

  private static final String DIM = "dim";
  private static final String KIND = "kind";
  private static final String SEED = "seed";
  private static final String SPARSITY = "sparsity";
  private static final String BLOCK_SIZE = "blockSize";
  private static final String CACHE_BYTES = "cacheBytes";
  private static final String OUT = "out";
  private static final String IN = "in";

  private final int dim;
  private final ProjectionKind kind;
  private final long seed;
  private final int sparsity;
  private final int blockSize;
  private final long cacheBytes;
  private final int[] outDims;
  private final int[] inDims;
  private final Map<String, Object> explicit;
  private final Map<String, Object> defaulted;

  private ProjectionOptions(Builder b) {
    this.dim = b.dim;
    this.kind = b.kind == null ? DEFAULT_KIND : b.kind;
    this.seed = b.seed == null ? DEFAULT_SEED : b.seed;
    this.sparsity = b.sparsity == null ? DEFAULT_SPARSITY : b.sparsity;
    this.blockSize = b.blockSize == null ? DEFAULT_BLOCK_SIZE : b.blockSize;
    this.cacheBytes = b.cacheBytes == null ? DEFAULT_CACHE_BYTES : b.cacheBytes;
    this.outDims = b.outDims == null ? null : b.outDims.clone();
    this.inDims = b.inDims == null ? null : b.inDims.clone();
    Map<String, Object> ex = new LinkedHashMap<>();
    Map<String, Object> df = new LinkedHashMap<>();
    ex.put(DIM, dim);
    (b.kind != null ? ex : df).put(KIND, kind.name());
    (b.seed != null ? ex : df).put(SEED, seed);
    if (kind == ProjectionKind.SJLT) {
      (b.sparsity != null ? ex : df).put(SPARSITY, sparsity);
    }
    if (kind == ProjectionKind.FACTORIZED) {
      (outDims != null ? ex : df).put(OUT, OptionSpec.formatDimensions(outDims));
      (inDims != null ? ex : df).put(IN, OptionSpec.formatDimensions(inDims));
    }
    (b.blockSize != null ? ex : df).put(BLOCK_SIZE, blockSize);
    (b.cacheBytes != null ? ex : df).put(CACHE_BYTES, cacheBytes);
    this.explicit = Collections.unmodifiableMap(ex);
    this.defaulted = Collections.unmodifiableMap(df);
  }

  /** A new builder; {@link Builder#setDim} is required, everything else has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values (all marked explicit), to derive variants. */
  public Builder toBuilder() {
    return builder()
        .setDim(dim)
        .optKind(kind)
        .optSeed(seed)
        .optSparsity(kind == ProjectionKind.SJLT ? sparsity : null)
        .optSideDims(outDims, inDims)
        .optBlockSize(blockSize)
        .optCacheBytes(cacheBytes);
  }

  /** The output dimension k (rows of P). */
  public int dim() {
    return dim;
  }

  /** The kind: which {@link Projection} implementation, and its entries. */
  public ProjectionKind kind() {
    return kind;
  }

  /** The seed; the same seed gives the same matrix in every process. */
  public long seed() {
    return seed;
  }

  /** SJLT: buckets per coordinate, s (see {@link SparseProjection}); 1 for other kinds. */
  public int sparsity() {
    return sparsity;
  }

  /**
   * Factorized: k_out of P_out δ, one value for every linear layer or one per layer (0 keeps δ
   * whole), or null for the automatic rule ({@code feature.FactorizedDims}); null for other kinds.
   */
  public int[] outDims() {
    return outDims == null ? null : outDims.clone();
  }

  /** Factorized: k_in of P_in ã, written like {@link #outDims}; null for auto or other kinds. */
  public int[] inDims() {
    return inDims == null ? null : inDims.clone();
  }

  /** Input coordinates per block; part of the matrix definition (see {@link DenseProjection}). */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes of generated blocks a {@link Projector} session may keep in native memory. */
  public long cacheBytes() {
    return cacheBytes;
  }

  /**
   * A JSON-friendly description for provenance: {@code {"explicit": {...}, "defaulted": {...}}},
   * values as Integer, Long or String (enum name), in a fixed order. Unmodifiable.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("explicit", explicit);
    map.put("defaulted", defaulted);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProjectionOptions)) {
      return false;
    }
    ProjectionOptions other = (ProjectionOptions) o;
    return dim == other.dim
        && kind == other.kind
        && seed == other.seed
        && sparsity == other.sparsity
        && blockSize == other.blockSize
        && cacheBytes == other.cacheBytes
        && Arrays.equals(outDims, other.outDims)
        && Arrays.equals(inDims, other.inDims);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dim, kind, seed, sparsity, blockSize, cacheBytes,
        Arrays.hashCode(outDims), Arrays.hashCode(inDims));
  }

  @Override
  public String toString() {
    return "ProjectionOptions" + toMap();
  }

  /** Builds {@link ProjectionOptions}; {@link #build()} validates every field. */
  public static final class Builder {
    private int dim;
    private boolean dimSet;
    private ProjectionKind kind;
    private boolean kindSet;
    private Long seed;
    private Integer sparsity;
    private Integer blockSize;
    private Long cacheBytes;
    private int[] outDims;
    private int[] inDims;

    private Builder() {}

    /** Required: the output dimension k, typically 512 to 8192. */
    public Builder setDim(int dim) {
      this.dim = dim;
      this.dimSet = true;
      return this;
    }

    /** The kind; default {@link ProjectionKind#GAUSSIAN}. */
    public Builder optKind(ProjectionKind kind) {
      this.kind = kind;
      this.kindSet = true;
      return this;
    }

    /** The seed; default 0. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * SJLT only: buckets per coordinate, s in [1, k]; default 1. Null leaves it unset (the
     * default); setting it for a dense kind is rejected by {@link #build()}.
     */
    public Builder optSparsity(Integer sparsity) {
      this.sparsity = sparsity;
      return this;
    }

    /**
     * Factorized only: k_out and k_in per linear layer, each one value for every layer or one per
     * layer (0 keeps the side whole), or null for the automatic rule (the default). Setting
     * either for another kind is rejected by {@link #build()}.
     */
    public Builder optSideDims(int[] outDims, int[] inDims) {
      this.outDims = outDims == null ? null : outDims.clone();
      this.inDims = inDims == null ? null : inDims.clone();
      return this;
    }

    /**
     * Input coordinates per generated block; default 4096. Changing it changes the matrix, so keep
     * the default unless a stored feature set says otherwise.
     */
    public Builder optBlockSize(int blockSize) {
      this.blockSize = blockSize;
      return this;
    }

    /** Native-memory budget for cached blocks per session; default 512 MiB; 0 disables caching. */
    public Builder optCacheBytes(long cacheBytes) {
      this.cacheBytes = cacheBytes;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid option, its value and the rule
     */
    public ProjectionOptions build() {
      if (!dimSet) {
        throw new IllegalArgumentException(
            "projection option dim is required: call setDim(k) with k >= 1 (typically 512 to"
                + " 8192)");
      }
      if (dim < 1) {
        throw new IllegalArgumentException("projection option dim given " + dim + ": must be >= 1");
      }
      if (kindSet && kind == null) {
        throw new IllegalArgumentException(
            "projection option kind given null: must be one of "
                + String.join(", ", ProjectionKind.optionNames()));
      }
      if (sparsity != null && kind != ProjectionKind.SJLT) {
        throw new IllegalArgumentException("projection option sparsity given " + sparsity
            + " for kind " + (kind == null ? DEFAULT_KIND : kind).optionName()
            + ": only sjlt has a sparsity");
      }
      if (sparsity != null && (sparsity < 1 || sparsity > dim)) {
        throw new IllegalArgumentException("projection option sparsity given " + sparsity
            + ": must be between 1 and dim (" + dim + ")");
      }
      checkSide("out", outDims);
      checkSide("in", inDims);
      if (blockSize != null && blockSize < 1) {
        throw new IllegalArgumentException(
            "projection option blockSize given " + blockSize + ": must be >= 1");
      }
      if (cacheBytes != null && cacheBytes < 0) {
        throw new IllegalArgumentException(
            "projection option cacheBytes given "
                + cacheBytes
                + ": must be >= 0 (0 disables the cache)");
      }
      int bs = blockSize == null ? DEFAULT_BLOCK_SIZE : blockSize;
      if ((long) dim * bs > MAX_BLOCK_VALUES) {
        if (blockSize != null) {
          throw new IllegalArgumentException("projection options dim " + dim + " and blockSize "
              + bs + " give " + (long) dim * bs + " values per block: must be <= "
              + MAX_BLOCK_VALUES + " (one Java array); lower blockSize");
        }
        // blockSize left at its default: dim is the value to change (jobs have no blockSize).
        throw new IllegalArgumentException("projection option dim given " + dim + ": too large;"
            + " one block of dim x blockSize " + bs + " = " + (long) dim * bs + " values must fit"
            + " one Java array (<= " + MAX_BLOCK_VALUES + "): give dim <= "
            + MAX_BLOCK_VALUES / bs);
      }
      return new ProjectionOptions(this);
    }

    private void checkSide(String option, int[] dims) {
      if (dims == null) {
        return;
      }
      if (kind != ProjectionKind.FACTORIZED) {
        throw new IllegalArgumentException("projection option " + option + " given "
            + OptionSpec.formatDimensions(dims) + " for kind "
            + (kind == null ? DEFAULT_KIND : kind).optionName()
            + ": only factorized has side dimensions");
      }
      if (dims.length == 0 || Arrays.stream(dims).anyMatch(k -> k < 0)) {
        throw new IllegalArgumentException("projection option " + option + " given "
            + Arrays.toString(dims) + ": expected one dimension >= 0 for every linear layer, or"
            + " one per layer (0 keeps the side whole)");
      }
    }
  }
}
