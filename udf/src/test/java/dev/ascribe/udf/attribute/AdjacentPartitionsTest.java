package dev.ascribe.udf.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class AdjacentPartitionsTest {
  @Test
  void groupsRunsOfAdjacentPartitionsInOrderWithSizesWithinOne() {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(
        dev.ascribe.udf.SharedSpark.get().sparkContext());
    JavaRDD<Integer> rdd = context.parallelize(IntStream.range(0, 100).boxed().toList(), 10);
    JavaRDD<Integer> three = AdjacentPartitions.coalesce(rdd, 3);
    // Parents 0-3, 4-6 and 7-9 (i * 3 / 10), rows in their order: nothing dropped or moved.
    assertEquals(List.of(IntStream.range(0, 40).boxed().toList(),
        IntStream.range(40, 70).boxed().toList(), IntStream.range(70, 100).boxed().toList()),
        three.glom().collect());
    assertSame(rdd, AdjacentPartitions.coalesce(rdd, 10), "already few enough partitions");
    assertEquals(1, AdjacentPartitions.coalesce(rdd, 1).getNumPartitions());
  }
}
