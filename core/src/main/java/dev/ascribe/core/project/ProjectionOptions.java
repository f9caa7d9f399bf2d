package dev.ascribe.core.project;

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
 * <p>{@code dim}, {@code kind}, {@code seed} and {@code blockSize} define the matrix; {@code
 * cacheBytes} only trades memory for time and never changes a result. Equality compares the values;
 * which of them were set explicitly is kept for provenance ({@link #toMap()}) only.
 */
public final class ProjectionOptions {
  /** Default kind: dense Gaussian. */
  public static final ProjectionKind DEFAULT_KIND = ProjectionKind.GAUSSIAN;

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

  private final int dim;
  private final ProjectionKind kind;
  private final long seed;
  private final int sparsity;
  private final int blockSize;
  private final long cacheBytes;
  private final Map<String, Object> explicit;
  private final Map<String, Object> defaulted;

  private ProjectionOptions(Builder b) {
    this.dim = b.dim;
    this.kind = b.kind == null ? DEFAULT_KIND : b.kind;
    this.seed = b.seed == null ? DEFAULT_SEED : b.seed;
    this.sparsity = b.sparsity == null ? DEFAULT_SPARSITY : b.sparsity;
    this.blockSize = b.blockSize == null ? DEFAULT_BLOCK_SIZE : b.blockSize;
    this.cacheBytes = b.cacheBytes == null ? DEFAULT_CACHE_BYTES : b.cacheBytes;
    Map<String, Object> ex = new LinkedHashMap<>();
    Map<String, Object> df = new LinkedHashMap<>();
    ex.put(DIM, dim);
    (b.kind != null ? ex : df).put(KIND, kind.name());
    (b.seed != null ? ex : df).put(SEED, seed);
    if (kind == ProjectionKind.SJLT) {
      (b.sparsity != null ? ex : df).put(SPARSITY, sparsity);
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
        && cacheBytes == other.cacheBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dim, kind, seed, sparsity, blockSize, cacheBytes);
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
        throw new IllegalArgumentException(
            "projection options dim "
                + dim
                + " and blockSize "
                + bs
                + " give "
                + (long) dim * bs
                + " values per block: must be <= "
                + MAX_BLOCK_VALUES
                + " (one Java array); lower blockSize");
      }
      return new ProjectionOptions(this);
    }
  }
}
