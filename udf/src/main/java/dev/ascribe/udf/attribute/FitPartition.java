package dev.ascribe.udf.attribute;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.precondition.ModelFits;
import dev.ascribe.core.precondition.PartitionFit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;

/**
 * One partition's {@link PartitionFit} of every checkpoint, keyed for the ordered merge by the
 * partition's smallest example id, then its index (nothing for an empty partition).
 *
 * @param <F> the per-checkpoint fit
 * @param <S> its fitted state
 */
final class FitPartition<F extends PartitionFit<FeatureMatrix, F, S>, S> implements
    Function2<Integer, Iterator<FeatureMatrix>, Iterator<PartitionFit.Keyed<ModelFits<F, S>>>> {
  private static final long serialVersionUID = 1L;
  private final int models;
  private final PartitionFit.Factory<F> factory;

  FitPartition(int models, PartitionFit.Factory<F> factory) {
    this.models = models;
    this.factory = factory;
  }

  @Override
  public Iterator<PartitionFit.Keyed<ModelFits<F, S>>> call(Integer partition,
      Iterator<FeatureMatrix> blocks) {
    ModelFits<F, S> fits = new ModelFits<>(models, factory);
    long smallest = Long.MAX_VALUE;
    while (blocks.hasNext()) {
      FeatureMatrix block = blocks.next();
      for (long id : block.ids()) {
        smallest = Math.min(smallest, id);
      }
      fits.accumulate(block);
    }
    List<PartitionFit.Keyed<ModelFits<F, S>>> one = new ArrayList<>();
    if (smallest != Long.MAX_VALUE) {
      one.add(new PartitionFit.Keyed<>(smallest, partition, fits));
    }
    return one.iterator();
  }
}
