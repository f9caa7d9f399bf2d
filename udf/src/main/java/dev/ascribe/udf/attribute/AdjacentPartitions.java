package dev.ascribe.udf.attribute;

import java.io.Serializable;
import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Coalesces an RDD into at most {@code maxPartitions} runs of consecutive parent partitions, by
 * index alone. Spark's default coalescer groups by the parents' preferred locations (HDFS block
 * hosts), so the same table read twice could group its partitions differently; grouping by index
 * keeps a run's tasks, and the order of everything they sum, a function of the table only.
 */
final class AdjacentPartitions implements PartitionCoalescer, Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code rdd} in at most {@code maxPartitions} partitions, each a run of adjacent parents. */
  static <T> org.apache.spark.api.java.JavaRDD<T> coalesce(
      org.apache.spark.api.java.JavaRDD<T> rdd, int maxPartitions) {
    if (maxPartitions < 1) {
      throw new IllegalArgumentException("partitions given " + maxPartitions + ": must be >= 1");
    }
    if (rdd.getNumPartitions() <= maxPartitions) {
      return rdd;
    }
    return new org.apache.spark.api.java.JavaRDD<>(rdd.rdd().coalesce(maxPartitions, false,
        Option.apply(new AdjacentPartitions()), null), rdd.classTag());
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Partition[] parents = parent.partitions();
    int groups = Math.max(1, Math.min(maxPartitions, parents.length));
    PartitionGroup[] out = new PartitionGroup[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = new PartitionGroup(Option.empty());
    }
    for (int i = 0; i < parents.length; i++) {
      // Group g holds parents [g·N/G, (g+1)·N/G): sizes differ by at most one.
      out[(int) ((long) i * groups / parents.length)].partitions().addOne(parents[i]);
    }
    return out;
  }
}
