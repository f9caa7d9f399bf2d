package dev.ascribe.core.precondition;

import dev.ascribe.core.feature.FeatureMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link PartitionFit} per checkpoint, for a stream of feature blocks of every checkpoint (a
 * Spark partition of the features table holds the rows of all models): each block goes to the fit
 * of its model, created on first use; checkpoints are merged pairwise.
 *
 * @param <F> the per-checkpoint fit
 * @param <S> its fitted state
 */
public final class ModelFits<F extends PartitionFit<FeatureMatrix, F, S>, S>
    implements PartitionFit<FeatureMatrix, ModelFits<F, S>, List<S>> {
  private static final long serialVersionUID = 1L;

  private final Factory<F> factory;
  // Null where no row of that checkpoint was seen.
  private final List<F> fits;

  /**
   * @param models the number of checkpoints M; blocks must have model in [0, M)
   * @param factory makes an empty fit for a checkpoint's feature dimension
   */
  public ModelFits(int models, Factory<F> factory) {
    if (models < 1) {
      throw new IllegalArgumentException("model fits given " + models + " models: must be >= 1");
    }
    this.factory = factory;
    this.fits = new ArrayList<>();
    for (int c = 0; c < models; c++) {
      fits.add(null);
    }
  }

  /** The number of checkpoints M. */
  public int models() {
    return fits.size();
  }

  @Override
  public ModelFits<F, S> accumulate(FeatureMatrix block) {
    int c = block.model();
    if (c < 0 || c >= fits.size()) {
      throw new IllegalArgumentException("features row of model " + c + ": expected models 0.."
          + (fits.size() - 1));
    }
    if (fits.get(c) == null) {
      fits.set(c, factory.create(block.k()));
    }
    fits.get(c).accumulate(block);
    return this;
  }

  @Override
  public ModelFits<F, S> merge(ModelFits<F, S> other) {
    if (other.fits.size() != fits.size()) {
      throw new IllegalArgumentException("cannot merge fits of " + other.fits.size()
          + " models into fits of " + fits.size() + ": every partition fits the same models");
    }
    for (int c = 0; c < fits.size(); c++) {
      F theirs = other.fits.get(c);
      if (theirs != null) {
        fits.set(c, fits.get(c) == null ? theirs : fits.get(c).merge(theirs));
      }
    }
    return this;
  }

  /**
   * The fitted state of every checkpoint, in model order.
   *
   * @throws IllegalArgumentException if a checkpoint had no rows
   */
  @Override
  public List<S> finish() {
    List<S> out = new ArrayList<>();
    for (int c = 0; c < fits.size(); c++) {
      if (fits.get(c) == null) {
        throw new IllegalArgumentException("the training features hold no rows of model " + c
            + ": expected " + fits.size() + " models; was the features table written by"
            + " another run?");
      }
      out.add(fits.get(c).finish());
    }
    return out;
  }
}
