package dev.ascribe.core.feature;

import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.Arrays;

/**
 * Immutable options of a feature map, made with {@link #builder()} and built per checkpoint by
 * {@link FeatureMaps#create}. Each option belongs to the kinds that use it; setting one for
 * another kind is rejected rather than ignored.
 *
 * <pre>{@code
 * FeatureMapOptions whole = FeatureMapOptions.builder().optProjection(projection).build();
 * FeatureMapOptions logra = FeatureMapOptions.builder().optKind(FeatureMapKind.KRONECKER)
 *     .optSides(ProjectionKind.GAUSSIAN, seed).optSideDims(new int[] {8}, new int[] {64}).build();
 * }</pre>
 */
public final class FeatureMapOptions {
  private final FeatureMapKind kind;
  private final ProjectionOptions projection;
  private final ProjectionKind sideKind;
  private final long sideSeed;
  private final int[] outDims;
  private final int[] inDims;
  private final int firstLayer;

  private FeatureMapOptions(Builder b) {
    this.kind = b.kind;
    this.projection = b.projection;
    this.sideKind = b.sideKind == null ? ProjectionKind.GAUSSIAN : b.sideKind;
    this.sideSeed = b.sideSeed == null ? 0L : b.sideSeed;
    this.outDims = b.outDims == null ? new int[] {0} : b.outDims.clone();
    this.inDims = b.inDims == null ? new int[] {0} : b.inDims.clone();
    this.firstLayer = b.firstLayer == null ? 0 : b.firstLayer;
  }

  /** A new builder: whole gradients, unprojected, unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  public FeatureMapKind kind() {
    return kind;
  }

  /**
   * WHOLE: the projection of whole gradients (its seed is the base: checkpoint c derives its own),
   * or null to keep them whole.
   */
  public ProjectionOptions projection() {
    return projection;
  }

  /** KRONECKER: the kind of every side projection. */
  public ProjectionKind sideKind() {
    return sideKind;
  }

  /** KRONECKER: the base seed of the side projections. */
  public long sideSeed() {
    return sideSeed;
  }

  /** KRONECKER: k_out, one for every chosen layer or one per chosen layer; 0 keeps δ whole. */
  public int[] outDims() {
    return outDims.clone();
  }

  /** KRONECKER: k_in, likewise; 0 keeps ã whole. */
  public int[] inDims() {
    return inDims.clone();
  }

  /** KRONECKER and LAYERS: the first linear layer used (all layers from it on). */
  public int firstLayer() {
    return firstLayer;
  }

  @Override
  public String toString() {
    return "FeatureMapOptions{kind=" + kind.optionName() + ", projection=" + projection
        + ", sideKind=" + sideKind.optionName() + ", sideSeed=" + sideSeed + ", outDims="
        + Arrays.toString(outDims) + ", inDims=" + Arrays.toString(inDims) + ", firstLayer="
        + firstLayer + "}";
  }

  /** Builder; {@link #build()} validates every field and that each suits the kind. */
  public static final class Builder {
    private FeatureMapKind kind = FeatureMapKind.WHOLE;
    private ProjectionOptions projection;
    private ProjectionKind sideKind;
    private Long sideSeed;
    private int[] outDims;
    private int[] inDims;
    private Integer firstLayer;

    private Builder() {}

    /** The feature map; default {@link FeatureMapKind#WHOLE}. */
    public Builder optKind(FeatureMapKind kind) {
      if (kind == null) {
        throw new IllegalArgumentException("option features given null: expected one of "
            + String.join(", ", FeatureMapKind.optionNames()));
      }
      this.kind = kind;
      return this;
    }

    /** WHOLE only: project whole gradients with these options; default (or null): keep them whole. */
    public Builder optProjection(ProjectionOptions projection) {
      this.projection = projection;
      return this;
    }

    /**
     * KRONECKER only: the kind and base seed of the side projections; default Gaussian, seed 0.
     * Checkpoint c's side of layer l uses seed {@code Seeds.derive(Seeds.derive(seed, c), l,
     * side)}, side 0 = out, 1 = in.
     */
    public Builder optSides(ProjectionKind kind, long seed) {
      if (kind == null) {
        throw new IllegalArgumentException("feature map kronecker given side projection kind"
            + " null: expected one of " + String.join(", ", ProjectionKind.optionNames()));
      }
      this.sideKind = kind;
      this.sideSeed = seed;
      return this;
    }

    /**
     * KRONECKER only: k_out and k_in, each one value for every chosen layer or one per chosen
     * layer; a side whose dimension is 0, or at least its width, is kept whole. Default 0 and 0:
     * identity sides, a permuted whole gradient.
     */
    public Builder optSideDims(int[] outDims, int[] inDims) {
      if (outDims == null || inDims == null) {
        throw new IllegalArgumentException("feature map kronecker given side dimensions "
            + Arrays.toString(outDims) + " and " + Arrays.toString(inDims)
            + ": expected one array of k_out and one of k_in");
      }
      this.outDims = outDims.clone();
      this.inDims = inDims.clone();
      return this;
    }

    /** KRONECKER and LAYERS only: the first linear layer used; default 0 (every layer). */
    public Builder optFirstLayer(int firstLayer) {
      this.firstLayer = firstLayer;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid option, its value and the rule
     */
    public FeatureMapOptions build() {
      String name = kind.optionName();
      if (projection != null && kind != FeatureMapKind.WHOLE) {
        throw new IllegalArgumentException("feature map " + name + " given a projection ("
            + projection + "): only whole gradients are projected by one; " + name
            + " takes none");
      }
      if ((sideKind != null || outDims != null) && kind != FeatureMapKind.KRONECKER) {
        throw new IllegalArgumentException("feature map " + name + " given side projections"
            + " or side dimensions: only kronecker has sides");
      }
      if (firstLayer != null && kind == FeatureMapKind.WHOLE) {
        throw new IllegalArgumentException("feature map whole given first layer " + firstLayer
            + ": it always uses every parameter; choose layers or kronecker");
      }
      if (firstLayer != null && firstLayer < 0) {
        throw new IllegalArgumentException("feature map " + name + " given first layer "
            + firstLayer + ": must be >= 0");
      }
      if (outDims != null) {
        checkDims("outDims", outDims);
        checkDims("inDims", inDims);
      }
      return new FeatureMapOptions(this);
    }

    private static void checkDims(String option, int[] dims) {
      if (dims.length == 0 || Arrays.stream(dims).anyMatch(k -> k < 0)) {
        throw new IllegalArgumentException("feature map option " + option + " given "
            + Arrays.toString(dims) + ": expected one dimension >= 0 for every layer, or one per"
            + " layer (0 keeps the side whole)");
      }
    }
  }
}
