package dev.ascribe.core.feature;

import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Seeds;
import dev.ascribe.core.model.TappedLayer;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import java.util.Arrays;

/**
 * The one factory of feature maps: {@link FeatureMapOptions} and a model's architecture give
 * checkpoint c's {@link GradientMap}, whichever method uses it. Whole gradients under a
 * factorized projection are built here as Kronecker features ({@link KroneckerGradients}, the one
 * Kronecker path) followed by an SJLT to k ({@link ProjectedGradients}). A new kind of map is one class
 * implementing {@code GradientMap}, one {@link FeatureMapKind} constant and one case in {@link
 * #create}.
 */
public final class FeatureMaps {
  private FeatureMaps() {}

  /**
   * The feature map of checkpoint {@code checkpoint} of a model {@code arch}:
   * projections derive their seeds from (the options' seed, checkpoint), so the checkpoints of an
   * ensemble are projected independently and every executor rebuilds the same maps.
   *
   * @throws IllegalArgumentException if the options do not fit {@code arch} (first layer, number
   *     of side dimensions)
   */
  public static GradientMap create(FeatureMapOptions options, ModelSpec arch, int checkpoint) {
    return switch (options.kind()) {
      case WHOLE -> options.projection() != null
          && options.projection().kind() == ProjectionKind.FACTORIZED
          ? factorized(options.projection(), arch, checkpoint)
          : new WholeGradients(arch.numParameters(),
              projection(options.projection(), arch.numParameters(), checkpoint));
      case KRONECKER -> kronecker(options, arch, checkpoint);
      case LAYERS -> options.firstLayer() == 0
          ? new WholeGradients(arch.numParameters(), null)
          : new LayerBlockGradients(arch, checkLayer(options, arch));
    };
  }

  /**
   * The projection of checkpoint {@code checkpoint}'s whole gradients (length d): {@code options}
   * with the seed {@code Seeds.derive(options.seed(), checkpoint)}; null for null options.
   */
  public static Projection projection(ProjectionOptions options, int d, int checkpoint) {
    if (options == null) {
      return null;
    }
    return Projection.of(options.toBuilder()
        .optSeed(Seeds.derive(options.seed(), checkpoint)).build(), d);
  }

  /**
   * Whole gradients under {@code projection.kind = factorized}: every linear layer's Kronecker
   * features with Gaussian sides of {@link FactorizedDims}, then, when their width K' is not k,
   * an SJLT to k. Checkpoint c's seed s_c = {@code Seeds.derive(options.seed(), c)}; layer l's
   * sides use {@code Seeds.derive(s_c, l, 0)} (out) and {@code (s_c, l, 1)} (in), as LoGra's;
   * the SJLT uses {@code Seeds.derive(s_c, -1)}.
   */
  private static GradientMap factorized(ProjectionOptions options, ModelSpec arch,
      int checkpoint) {
    FactorizedDims dims = FactorizedDims.of(arch, options.dim(), options.outDims(),
        options.inDims());
    long seed = Seeds.derive(options.seed(), checkpoint);
    KroneckerGradients features = kronecker(arch, 0, dims.out(), dims.in(),
        ProjectionKind.GAUSSIAN, seed);
    if (features.outputDim() == options.dim()) {
      return features;
    }
    Projection toK = Projection.of(ProjectionOptions.builder().setDim(options.dim())
        .optKind(ProjectionKind.SJLT).optSeed(Seeds.derive(seed, -1)).build(),
        features.outputDim());
    return new ProjectedGradients(features, toK);
  }

  private static KroneckerGradients kronecker(FeatureMapOptions options, ModelSpec arch,
      int checkpoint) {
    int first = checkLayer(options, arch);
    int n = arch.tappedLayers().size() - first;
    int[] outDims = perLayer("outDims", options.outDims(), n, first, arch);
    int[] inDims = perLayer("inDims", options.inDims(), n, first, arch);
    return kronecker(arch, first, outDims, inDims, options.sideKind(),
        Seeds.derive(options.sideSeed(), checkpoint));
  }

  /**
   * Kronecker features of the linear layers from {@code first} on, side dimensions per layer (0,
   * or at least the width, keeps a side whole); layer l's sides seeded {@code Seeds.derive(seed,
   * l, 0)} (out) and {@code (seed, l, 1)} (in).
   */
  private static KroneckerGradients kronecker(ModelSpec arch, int first, int[] outDims,
      int[] inDims, ProjectionKind sideKind, long seed) {
    int n = outDims.length;
    int[] layers = new int[n];
    Projection[] out = new Projection[n];
    Projection[] in = new Projection[n];
    for (int i = 0; i < n; i++) {
      int l = first + i;
      layers[i] = l;
      TappedLayer layer = arch.tappedLayers().get(l);
      out[i] = side(outDims[i], layer.out(), sideKind, Seeds.derive(seed, l, 0));
      in[i] = side(inDims[i], layer.augmentedIn(), sideKind, Seeds.derive(seed, l, 1));
    }
    return new KroneckerGradients(arch, layers, out, in);
  }

  /** A side's projection, or null to keep it whole (k = 0, or k at least its width). */
  private static Projection side(int k, int width, ProjectionKind kind, long seed) {
    if (k == 0 || k >= width) {
      return null;
    }
    return Projection.of(ProjectionOptions.builder().setDim(k).optKind(kind).optSeed(seed)
        .build(), width);
  }

  private static int checkLayer(FeatureMapOptions options, ModelSpec arch) {
    int first = options.firstLayer();
    if (first >= arch.tappedLayers().size()) {
      throw new IllegalArgumentException("feature map " + options.kind().optionName()
          + " given first layer " + first + ": " + arch.name() + " has " + arch.tappedLayers().size()
          + " linear layers (0 to " + (arch.tappedLayers().size() - 1) + ")");
    }
    return first;
  }

  private static int[] perLayer(String option, int[] dims, int n, int first, ModelSpec arch) {
    if (dims.length == 1) {
      int[] all = new int[n];
      Arrays.fill(all, dims[0]);
      return all;
    }
    if (dims.length != n) {
      throw new IllegalArgumentException("feature map option " + option + " given "
          + dims.length + " dimensions: " + arch.name() + " has " + n + " linear layers from"
          + " layer " + first + "; give one value for all or one per layer");
    }
    return dims;
  }
}
