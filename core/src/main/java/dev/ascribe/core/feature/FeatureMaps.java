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
 * checkpoint c's {@link GradientMap}, whichever method uses it. A new kind of map is one class
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
      case WHOLE -> new WholeGradients(arch.numParameters(),
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

  private static KroneckerGradients kronecker(FeatureMapOptions options, ModelSpec arch,
      int checkpoint) {
    int first = checkLayer(options, arch);
    int n = arch.tappedLayers().size() - first;
    int[] outDims = perLayer("outDims", options.outDims(), n, first, arch);
    int[] inDims = perLayer("inDims", options.inDims(), n, first, arch);
    long seed = Seeds.derive(options.sideSeed(), checkpoint);
    int[] layers = new int[n];
    Projection[] out = new Projection[n];
    Projection[] in = new Projection[n];
    for (int i = 0; i < n; i++) {
      int l = first + i;
      layers[i] = l;
      TappedLayer layer = arch.tappedLayers().get(l);
      out[i] = side(outDims[i], layer.out(), options.sideKind(), Seeds.derive(seed, l, 0));
      in[i] = side(inDims[i], layer.in() + 1, options.sideKind(), Seeds.derive(seed, l, 1));
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
