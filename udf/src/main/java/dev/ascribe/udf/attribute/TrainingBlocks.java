package dev.ascribe.udf.attribute;

import dev.ascribe.core.feature.FeatureMatrix;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * A training features table decoded once per partition into primitive feature blocks ({@link
 * SparkAttribution#decode}) and persisted, so that the kernel fit and the score pass of one run
 * read the same decoded partitions (same partitioning and block order as the table, hence the
 * same bits as decoding each time). The blocks are shared, read-only. Close to unpersist.
 *
 * <p>Persisted on disk only, streamed out as each partition is decoded: kept on the heap, n x k
 * floats outgrow any fixed heap (a 2 GB heap ran out at n = 1,000,000, k = 512), and a block's
 * 512 KiB feature array is a humongous object for G1 with a 2 GB heap (1 MiB regions), so the heap
 * held about twice what Spark's storage accounting saw.
 */
public final class TrainingBlocks implements AutoCloseable {
  private final JavaRDD<FeatureMatrix> blocks;

  TrainingBlocks(JavaRDD<FeatureMatrix> blocks) {
    this.blocks = blocks.persist(StorageLevel.DISK_ONLY());
  }

  /** The decoded blocks, partition i holding the blocks of the table's partition i. */
  JavaRDD<FeatureMatrix> rdd() {
    return blocks;
  }

  /** Releases the persisted blocks. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
