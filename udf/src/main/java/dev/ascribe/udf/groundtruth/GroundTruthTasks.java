package dev.ascribe.udf.groundtruth;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.metric.Subsets;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.train.SubsetRetraining;
import dev.ascribe.udf.io.TableFormat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LDS ground truth as Spark tasks (DESIGN.md, Data flow step 4): model j of a {@link
 * SubsetRetraining} is trained by its own Spark task, on the seeded subset S_j, and evaluated on
 * every query.
 *
 * <p>The training rows, the queries and the recipe reach the executors by one broadcast (the
 * ground-truth settings are small: MNIST-LR's 5,000 x 784 floats are 16 MB). A task depends only
 * on its model index j, so a retried or rerun task gives bit-identical rows, whichever executor
 * and thread run it: grad mode is set per thread inside core, and PyTorch runs one thread per
 * task ({@code -Dai.djl.pytorch.num_threads=1}, PLATFORM.md).
 */
public final class GroundTruthTasks {
  private GroundTruthTasks() {}

  /**
   * The ground-truth rows of every subset model, computed by M Spark tasks (one partition per
   * model; task j trains model j with its own {@link NDManager}, closed when the task ends).
   *
   * <p>The result is lazy and not cached: each Spark action on it trains all M models again. Use
   * it once, e.g. with {@link dev.ascribe.udf.io.ParquetTables#write} and one file (more files
   * range-partition by key, which samples the input and so trains twice), or persist it.
   *
   * @param spark the session whose executors train
   * @param retraining the recipe: architecture, training options, M, α and seed
   * @param train the n training rows the subsets are drawn from (subset rows index this order)
   * @param queries the m queries every model is evaluated on
   * @return M x m rows in the {@link TableFormat#GROUND_TRUTH} schema (model_id, subset = the
   *     example ids of S_j, query_id, logp, margin), in M partitions, partition j holding model
   *     j's rows in the queries' order
   * @throws IllegalArgumentException if the data do not fit the architecture, there are no
   *     queries, or α n rounds down to an empty subset
   */
  public static org.apache.spark.sql.Dataset<Row> run(SparkSession spark,
      SubsetRetraining retraining, Dataset train, Dataset queries) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(retraining, "retraining");
    checkInputs(retraining.arch(), train, queries);
    // Rejects an empty subset here rather than in M failing tasks.
    Subsets.size(train.size(), retraining.alpha());
    int models = retraining.models();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Work> work = jsc.broadcast(new Work(retraining, train, queries));
    // A list of M indices in M slices puts exactly one index in each partition, so one task
    // trains one model and a failed model is retried alone.
    List<Integer> indices = IntStream.range(0, models).boxed().toList();
    JavaRDD<Row> rows = jsc.parallelize(indices, models)
        .mapPartitions(new TrainPartition(work))
        .setName("groundtruth: " + models + " subset models of " + train.name());
    return spark.createDataFrame(rows, TableFormat.GROUND_TRUTH.schema());
  }

  /**
   * Rejects, before any task runs, training or query data that do not fit the architecture and
   * an empty query set (shared by the LDS and the LOO ground truth).
   */
  static void checkInputs(ModelSpec arch, Dataset train, Dataset queries) {
    checkFits("training", train, arch);
    checkFits("query", queries, arch);
    if (queries.size() == 0) {
      throw new IllegalArgumentException("groundtruth given query set " + queries.name()
          + " with no rows: expected at least one query to evaluate the models on");
    }
  }

  private static void checkFits(String what, Dataset data, ModelSpec arch) {
    Objects.requireNonNull(data, what + " data");
    if (data.dim() != arch.inputDim() || data.numClasses() != arch.numClasses()) {
      throw new IllegalArgumentException("groundtruth " + what + " data " + data
          + " does not fit model " + arch + ": expected dim " + arch.inputDim() + " and "
          + arch.numClasses() + " classes; check data and model in the configuration");
    }
  }

  /** What every task needs, broadcast once. */
  private record Work(SubsetRetraining retraining, Dataset train, Dataset queries)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Trains the models whose indices are in this partition (one, by construction). */
  private static final class TrainPartition implements FlatMapFunction<Iterator<Integer>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GroundTruthTasks.class);

    private final Broadcast<Work> work;

    TrainPartition(Broadcast<Work> work) {
      this.work = work;
    }

    @Override
    public Iterator<Row> call(Iterator<Integer> indices) throws Exception {
      Work w = work.value();
      List<Row> rows = new ArrayList<>();
      while (indices.hasNext()) {
        int j = indices.next();
        long start = System.nanoTime();
        SubsetRetraining.Outcome o;
        // Native memory of the model lives in this task's own manager and is freed with it.
        try (NDManager manager = NDManager.newBaseManager()) {
          o = w.retraining().trainOne(j, w.train(), w.queries(), manager);
        }
        for (int q = 0; q < o.queryIds().length; q++) {
          rows.add(RowFactory.create(o.modelId(), o.subsetIds(), o.queryIds()[q], o.logp()[q],
              o.margin()[q]));
        }
        LOG.info("groundtruth model {} ({} rows) trained and evaluated in {} ms", j,
            o.subsetIds().length, (System.nanoTime() - start) / 1_000_000);
      }
      return rows.iterator();
    }
  }
}
