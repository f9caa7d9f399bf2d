package dev.ascribe.udf.attribute;

import dev.ascribe.core.linalg.GramAccumulator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * One partition's Gram sums Σ φ φᵀ, one per checkpoint (null where it saw no rows), keyed by the
 * partition's smallest example id (none for an empty partition).
 */
final class GramPartition
    implements FlatMapFunction<Iterator<Row>, scala.Tuple2<Long, GramAccumulator[]>> {
  private static final long serialVersionUID = 1L;
  private final int models;
  private final int k;

  GramPartition(int models, int k) {
    this.models = models;
    this.k = k;
  }

  @Override
  public Iterator<scala.Tuple2<Long, GramAccumulator[]>> call(Iterator<Row> rows) {
    GramAccumulator[] grams = new GramAccumulator[models];
    long[] smallest = {Long.MAX_VALUE};
    FeatureBlocks.forEach(rows, FeatureBlocks.SIZE, k, block -> {
      if (block.model() < 0 || block.model() >= models) {
        throw new IllegalArgumentException("features row of model " + block.model()
            + ": expected models 0.." + (models - 1));
      }
      for (long id : block.ids()) {
        smallest[0] = Math.min(smallest[0], id);
      }
      if (grams[block.model()] == null) {
        grams[block.model()] = new GramAccumulator(block.k());
      }
      grams[block.model()].add(block.phi());
    });
    List<scala.Tuple2<Long, GramAccumulator[]>> one = new java.util.ArrayList<>();
    if (smallest[0] != Long.MAX_VALUE) {
      one.add(new scala.Tuple2<>(smallest[0], grams));
    }
    return one.iterator();
  }
}
