package dev.ascribe.udf.groundtruth;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.train.LooRetraining;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * LOO ground truth as Spark tasks (DESIGN.md, Metrics, LOO), the pattern of {@link
 * GroundTruthTasks}: K + 1 models of a {@link LooRetraining}, the full model and one per removed
 * training row, each trained by its own Spark task and evaluated on every query.
 *
 * <p>Unlike the LDS table, the outputs are collected on the driver: (K + 1) x m pairs of doubles
 * (100 x 500: under 1 MB), which lets the driver check the full model against the attribution's
 * model 0 and hand {@link LooRetraining#assemble} exactly what the in-memory path gets, so both
 * give the same {@link dev.ascribe.core.metric.LooGroundTruth}.
 */
public final class LooTasks {
  private LooTasks() {}

  /**
   * Trains the K + 1 models on {@code spark}'s executors, one task per model (task 0: the full
   * model; task r + 1: without removed row r), and assembles the ground truth.
   *
   * @throws IllegalArgumentException if the data do not fit the architecture, there are no
   *     queries, or more rows are to be removed than there are
   */
  public static LooRetraining.Result run(SparkSession spark, LooRetraining retraining,
      Dataset train, Dataset queries) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(retraining, "retraining");
    GroundTruthTasks.checkInputs(retraining.arch(), train, queries);
    int[] removed = retraining.removedRows(train.size());
    int models = removed.length + 1;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Work> work = jsc.broadcast(new Work(retraining, removed, train, queries));
    // One index per slice: one task trains one model, and a failed model is retried alone.
    List<Integer> indices = IntStream.range(0, models).boxed().toList();
    List<Tuple2<Integer, LooRetraining.Outputs>> collected = new ArrayList<>(
        jsc.parallelize(indices, models).mapPartitions(new TrainPartition(work))
            .setName("groundtruth: full model and " + removed.length + " LOO models of "
                + train.name())
            .collect());
    work.destroy();
    collected.sort(Comparator.comparingInt(Tuple2::_1));
    List<LooRetraining.Outputs> outputs = collected.stream().map(Tuple2::_2).toList();
    return LooRetraining.assemble(removed, train, queries, outputs);
  }

  /** What every task needs, broadcast once. */
  private record Work(LooRetraining retraining, int[] removed, Dataset train, Dataset queries)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Trains the models whose indices are in this partition (one, by construction). */
  private static final class TrainPartition
      implements FlatMapFunction<Iterator<Integer>, Tuple2<Integer, LooRetraining.Outputs>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LooTasks.class);

    private final Broadcast<Work> work;

    TrainPartition(Broadcast<Work> work) {
      this.work = work;
    }

    @Override
    public Iterator<Tuple2<Integer, LooRetraining.Outputs>> call(Iterator<Integer> indices)
        throws Exception {
      Work w = work.value();
      List<Tuple2<Integer, LooRetraining.Outputs>> out = new ArrayList<>();
      while (indices.hasNext()) {
        int index = indices.next();
        long start = System.nanoTime();
        // Native memory of the model lives in this task's own manager and is freed with it.
        try (NDManager manager = NDManager.newBaseManager()) {
          out.add(new Tuple2<>(index, w.retraining().trainOne(index, w.removed(), w.train(),
              w.queries(), manager)));
        }
        LOG.info("groundtruth LOO model {} ({}) trained and evaluated in {} ms", index,
            index == 0 ? "full" : "without row " + w.removed()[index - 1],
            (System.nanoTime() - start) / 1_000_000);
      }
      return out.iterator();
    }
  }
}
