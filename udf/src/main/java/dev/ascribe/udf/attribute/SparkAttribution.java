package dev.ascribe.udf.attribute;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.method.Recipe;
import dev.ascribe.core.method.SelfInfluence;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.linalg.GramAccumulator;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.TableFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The featurize → kernel → score template of the in-memory API, run on Spark (DESIGN.md, Data
 * flow): features by {@code mapPartitions}, kernels from Gram sums merged in partition order on the
 * driver (nothing of size n is collected), scores per training partition against broadcast query
 * features. The numerical work is core's; this class only moves data.
 */
public final class SparkAttribution {
  private final SparkSession spark;
  private final MethodSpec spec;
  private final List<Checkpoint> checkpoints;
  private final Broadcast<List<Checkpoint>> broadcastCheckpoints;
  private final InnerProductAttributor attributor;
  private final int numClasses;
  private final int featureDim;

  public SparkAttribution(SparkSession spark, MethodSpec spec, List<Checkpoint> checkpoints,
      int numClasses) {
    this.spark = spark;
    this.spec = spec;
    this.checkpoints = List.copyOf(checkpoints);
    this.broadcastCheckpoints = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(this.checkpoints);
    // Driver-side work (Hessian-vector products of the IF solvers) uses the driver's cores.
    this.attributor = spec.create(this.checkpoints,
        dev.ascribe.core.parallel.IndexedTasks.defaultThreads());
    this.numClasses = numClasses;
    this.featureDim = spec.featureDim(this.checkpoints.get(0).spec());
  }

  /** The in-memory attributor these stages mirror (recipe, coefficients, projections). */
  public InnerProductAttributor attributor() {
    return attributor;
  }

  /**
   * Features of every input row under every checkpoint, in the features schema; lazy (computed
   * when written). Training rows use the method's training-side function, queries -∇f.
   */
  public Dataset<Row> featurize(Dataset<Row> inputRows, boolean querySide, String source) {
    Dataset<Row> conformed = TableFormat.INPUT_ROWS.conform(inputRows, source);
    JavaRDD<Row> features = conformed.javaRDD().mapPartitions(new FeaturizePartition(spec,
        broadcastCheckpoints, querySide, numClasses, source));
    return spark.createDataFrame(features, TableFormat.FEATURES.schema());
  }

  /**
   * One preconditioner per checkpoint from the training features: K_c = (1/n) Φ_cᵀΦ_c + λI,
   * factorized on the driver (identity for methods without a kernel). Partition Gram sums are
   * merged in a fixed order, so a rerun gives bit-identical kernels.
   */
  public List<Preconditioner> preconditioners(Dataset<Row> trainFeatures) {
    return preconditioners(trainFeatures, null);
  }

  /**
   * As {@link #preconditioners(Dataset)}; methods whose curvature comes from the training data
   * itself (the Hessian influence methods) fit theirs from {@code trainOnDriver}, the training set
   * held on the driver, whose Hessian-vector products then run there.
   */
  public List<Preconditioner> preconditioners(Dataset<Row> trainFeatures,
      dev.ascribe.core.data.Dataset trainOnDriver) {
    List<Preconditioner> out = new ArrayList<>();
    if (attributor.preconditionsFromData()) {
      if (trainOnDriver == null) {
        throw new IllegalArgumentException(spec.method() + " needs the training set on the"
            + " driver for its Hessian-vector products");
      }
      for (int c = 0; c < checkpoints.size(); c++) {
        out.add(attributor.precondition(c, null, trainOnDriver));
      }
      return out;
    }
    if (!attributor.recipe().kernel()) {
      for (int c = 0; c < checkpoints.size(); c++) {
        out.add(Preconditioner.identity());
      }
      return out;
    }
    for (Kernel kernel : kernels(trainFeatures)) {
      out.add(KernelPreconditioner.of(kernel.factorize(spec.lambdaSpec()), spec.lambdaSpec()));
    }
    return out;
  }

  /**
   * The kernels F_c = (1/n) Φ_cᵀΦ_c of every checkpoint (methods with a kernel only), from
   * partition Gram sums merged in a fixed order, so a rerun gives bit-identical kernels.
   */
  public List<Kernel> kernels(Dataset<Row> trainFeatures) {
    List<Kernel> out = new ArrayList<>();
    // Partition results are merged in the order of their smallest example id (an example's rows
    // all sit in one featurize partition), not in Spark's partition order, which may vary.
    JavaRDD<scala.Tuple2<Long, GramAccumulator[]>> partial = trainFeatures.javaRDD()
        .mapPartitions(new GramPartition(checkpoints.size(), featureDim))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Distinct: partitions that split an example's rows between them share its id as key.
    List<Long> order = new ArrayList<>(new java.util.TreeSet<>(
        partial.map(scala.Tuple2::_1).collect()));
    GramAccumulator[] total = new GramAccumulator[checkpoints.size()];
    for (long key : order) {
      for (scala.Tuple2<Long, GramAccumulator[]> t : partial.filter(p -> p._1() == key).collect()) {
        GramAccumulator[] grams = t._2();
        for (int c = 0; c < total.length; c++) {
          if (grams[c] != null) {
            total[c] = total[c] == null ? grams[c] : total[c].merge(grams[c]);
          }
        }
      }
    }
    partial.unpersist(false);
    for (int c = 0; c < total.length; c++) {
      if (total[c] == null) {
        throw new IllegalArgumentException("the training features hold no rows of model " + c
            + ": expected " + checkpoints.size() + " models; was the features table written by"
            + " another run?");
      }
      out.add(Kernel.of(total[c]));
    }
    return out;
  }

  /** The query features of each checkpoint (collected: m x k per checkpoint is small). */
  public List<FeatureMatrix> collectQueryFeatures(Dataset<Row> queryFeatures) {
    List<Row> rows = queryFeatures.orderBy(Columns.MODEL, Columns.EXAMPLE_ID).collectAsList();
    List<FeatureMatrix> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      out.add(null);
    }
    FeatureBlocks.forEach(rows.iterator(), Integer.MAX_VALUE, featureDim,
        m -> out.set(m.model(), m));
    for (int c = 0; c < out.size(); c++) {
      if (out.get(c) == null) {
        throw new IllegalArgumentException("the query features hold no rows of model " + c);
      }
    }
    return out;
  }

  /**
   * Scores of every training example against every query: rows (example_id, scores), one per
   * training example, scores in the order of {@code queries}' ids. Persisted; unpersist when done.
   */
  public Dataset<Row> score(Dataset<Row> trainFeatures, List<FeatureMatrix> queries,
      List<Preconditioner> preconditioners) {
    int m = queries.get(0).size();
    float[][] psi = new float[queries.size()][];
    for (int c = 0; c < psi.length; c++) {
      FeatureMatrix q = queries.get(c);
      psi[c] = preconditioners.get(c).apply(q.phi(), q.size());
    }
    Broadcast<float[][]> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(psi);
    double[] coefficients = attributor.coefficients();
    ScorePartition.BlockScorer scorer = (sums, block) ->
        sums.add(block, broadcast.value()[block.model()], coefficients[block.model()]);
    return finish(trainFeatures, scorer, m, TableFormat.SCORES_FULL.schema())
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Self-influence of every training example, the loss measured on both sides (core {@link
   * SelfInfluence}): rows (example_id, self_influence). Persisted; unpersist when done.
   */
  public Dataset<Row> selfInfluence(Dataset<Row> trainFeatures,
      List<Preconditioner> preconditioners) {
    Broadcast<List<Preconditioner>> kernels = JavaSparkContext.fromSparkContext(
        spark.sparkContext()).broadcast(List.copyOf(preconditioners));
    double[] coefficients = attributor.coefficients();
    boolean marginFeatures = SelfInfluence.marginFeatures(attributor.recipe());
    ScorePartition.BlockScorer scorer = (sums, block) -> SelfInfluence.add(sums, marginFeatures,
        kernels.value().get(block.model()), block, coefficients[block.model()]);
    Dataset<Row> rows = finish(trainFeatures, scorer, 1, TableFormat.SCORES_FULL.schema());
    return rows.selectExpr(Columns.EXAMPLE_ID,
        "CAST(" + Columns.SCORES + "[0] AS DOUBLE) AS " + Columns.SELF_INFLUENCE)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Partition sums, then the few examples split across partitions combined by id. */
  private Dataset<Row> finish(Dataset<Row> trainFeatures, ScorePartition.BlockScorer scorer,
      int width, org.apache.spark.sql.types.StructType schema) {
    int models = checkpoints.size();
    RowWeight weight = attributor.recipe().weight();
    JavaRDD<ScorePartition.Out> out = trainFeatures.javaRDD().mapPartitions(new ScorePartition(
        scorer, featureDim, width, models, weight))
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Row> complete = out.filter(o -> o.scores() != null)
        .map(o -> RowFactory.create(o.exampleId(), o.scores()));
    JavaRDD<Row> finished = out.filter(o -> o.partial() != null)
        .mapToPair(o -> new scala.Tuple2<>(o.exampleId(), o.partial()))
        .groupByKey()
        .map(g -> {
          List<PartialScores.Partial> parts = new ArrayList<>();
          g._2().forEach(parts::add);
          PartialScores.Row r = new PartialScores(width, models, weight).combine(parts);
          return RowFactory.create(r.exampleId(), r.scores());
        });
    return spark.createDataFrame(complete.union(finished), schema);
  }

  /** Top-K proponents and opponents of each query from score rows, merged across partitions. */
  public static TopK[][] topK(Dataset<Row> scores, int numQueries, int k) {
    return scores.javaRDD().mapPartitions((Iterator<Row> rows) -> {
      TopK[][] top = new TopK[numQueries][2];
      for (int q = 0; q < numQueries; q++) {
        top[q][0] = new TopK(k, TopK.Kind.PROPONENT);
        top[q][1] = new TopK(k, TopK.Kind.OPPONENT);
      }
      while (rows.hasNext()) {
        Row r = rows.next();
        long id = r.getLong(0);
        List<Float> s = r.getList(1);
        for (int q = 0; q < numQueries; q++) {
          top[q][0].offer(id, s.get(q));
          top[q][1].offer(id, s.get(q));
        }
      }
      List<TopK[][]> one = new ArrayList<>();
      one.add(top);
      return one.iterator();
    }).treeReduce((a, b) -> {
      for (int q = 0; q < numQueries; q++) {
        a[q][0].merge(b[q][0]);
        a[q][1].merge(b[q][1]);
      }
      return a;
    });
  }
}
