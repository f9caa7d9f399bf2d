package dev.ascribe.udf.metric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Sums per-partition vectors in partition order, as a tree, so that the floating-point result
 * depends on the partitioning only, never on which task finished first (DESIGN.md: a rerun is
 * bit-identical). Spark's own {@code treeAggregate} and {@code fold} merge partial results in
 * the order tasks complete, which can change the last bits from one run to the next.
 *
 * <p>Each level groups up to {@link #FAN_IN} consecutive keys, sorts each group by key and adds
 * it up in that order; the driver adds the last ≤ {@code FAN_IN} vectors in key order.
 */
final class OrderedSum {
  /** Vectors added per group: up to this many partitions go straight to the driver. */
  static final int FAN_IN = 32;

  private OrderedSum() {}

  /**
   * The sum of all vectors, in ascending key order.
   *
   * @param partials at most one vector per key, keys in [0, numKeys) (e.g. partition indices)
   * @param numKeys the number of possible keys (e.g. the number of partitions)
   * @param length every vector's length
   */
  static double[] sum(JavaPairRDD<Integer, double[]> partials, int numKeys, int length) {
    JavaPairRDD<Integer, double[]> level = partials;
    int keys = numKeys;
    while (keys > FAN_IN) {
      int groups = (keys + FAN_IN - 1) / FAN_IN;
      // Key k of group g lands on partition g (HashPartitioner of a small non-negative int).
      level = level.mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
          .groupByKey(new HashPartitioner(groups))
          .mapToPair(g -> new Tuple2<>(g._1(), inKeyOrder(g._2(), length)));
      keys = groups;
    }
    return inKeyOrder(level.collect(), length);
  }

  /** Adds the vectors in ascending key order. */
  static double[] inKeyOrder(Iterable<Tuple2<Integer, double[]>> vectors, int length) {
    List<Tuple2<Integer, double[]>> sorted = new ArrayList<>();
    vectors.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(Tuple2::_1));
    double[] total = new double[length];
    for (Tuple2<Integer, double[]> t : sorted) {
      double[] v = t._2();
      if (v.length != length) {
        throw new IllegalStateException(
            "partial sum of key " + t._1() + " has length " + v.length + ": expected " + length);
      }
      for (int i = 0; i < length; i++) {
        total[i] += v[i];
      }
    }
    return total;
  }
}
