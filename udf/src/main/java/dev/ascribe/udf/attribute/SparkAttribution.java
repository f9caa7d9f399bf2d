package dev.ascribe.udf.attribute;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.precondition.EigenCorrectionFit;
import dev.ascribe.core.precondition.GramFit;
import dev.ascribe.core.precondition.KfacOptions;
import dev.ascribe.core.precondition.KfacPasses;
import dev.ascribe.core.precondition.KfacPreconditioner;
import dev.ascribe.core.precondition.KroneckerFactorFit;
import dev.ascribe.core.precondition.KroneckerFactors;
import dev.ascribe.core.precondition.ModelFits;
import dev.ascribe.core.precondition.PartitionFit;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.method.SelfInfluence;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.TableFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
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
   * Decodes a training features table once per partition into primitive blocks, persisted for
   * the kernel fit and the score passes of this run (close the result when done).
   *
   * @throws IllegalArgumentException (when a pass runs) for rows whose feature length is not the
   *     run's projection dimension
   */
  public TrainingBlocks decode(Dataset<Row> trainFeatures) {
    return new TrainingBlocks(FeatureBlocks.of(trainFeatures, FeatureBlocks.SIZE, featureDim));
  }

  /**
   * {@link #decode(Dataset)} in at most {@code maxTasks} partitions: each a run of adjacent
   * partitions of the table, decoded as before (the same blocks, hence the same bits), so that a
   * table stored as many small parts (an incremental run's per-partition features) is scored,
   * counted and written by a few tasks and files instead of one per part.
   */
  public TrainingBlocks decode(Dataset<Row> trainFeatures, int maxTasks) {
    return new TrainingBlocks(AdjacentPartitions.coalesce(
        FeatureBlocks.of(trainFeatures, FeatureBlocks.SIZE, featureDim), maxTasks));
  }

  /**
   * One preconditioner per checkpoint, chosen by the attributor ({@link
   * InnerProductAttributor#precondition}): the kernel K_c = (1/n) Φ_cᵀΦ_c + λI fitted from the
   * training blocks ({@link #kernels}), the identity, or, for methods whose curvature comes from
   * the training data itself (the Hessian influence methods), from {@code trainOnDriver}, the
   * training set held on the driver, whose Hessian-vector products then run there.
   *
   * @param trainingRows the training input rows, for methods whose factors are fitted by passes
   *     over them (K-FAC, EK-FAC: {@link #layerFactors})
   * @param trainOnDriver the training set, or null for methods that do not need it
   */
  public List<Preconditioner> preconditioners(TrainingBlocks trainFeatures,
      TrainingRows trainingRows, dev.ascribe.core.data.Dataset trainOnDriver) {
    if (attributor.preconditionerSource() == PreconditionerSource.LAYER_FACTORS) {
      return layerFactors(trainingRows);
    }
    if (attributor.preconditionerSource() == PreconditionerSource.FEATURE_KERNEL
        && FeatureSpectrum.dualIsSmaller(rowsOfFirstModel(trainFeatures), featureDim)) {
      return dualKernels(trainFeatures);
    }
    List<Kernel> kernels = attributor.preconditionerSource()
        == PreconditionerSource.FEATURE_KERNEL ? kernels(trainFeatures) : null;
    List<Preconditioner> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      out.add(attributor.precondition(c, kernels == null ? null : kernels.get(c),
          trainOnDriver));
    }
    return out;
  }

  /**
   * The kernels F_c = (1/n) Φ_cᵀΦ_c of every checkpoint in ONE Spark job: each partition fits its
   * blocks ({@link InnerProductAttributor#fitFactory()}), the driver collects the partition fits
   * and merges them in the order of their smallest example id ({@link
   * PartitionFit#mergeInKeyOrder}), not in the order tasks finish, so a rerun with the same
   * partitioning gives bit-identical kernels. The driver holds one k x k sum per checkpoint and
   * non-empty partition at once.
   */
  public List<Kernel> kernels(TrainingBlocks trainFeatures) {
    return gramSums(trainFeatures).finish();
  }

  /**
   * The Gram sums Σ φ φᵀ of every checkpoint, not yet divided by n: {@link #kernels} before
   * {@code finish}. An incremental run stores them per input partition and merges the stored sums
   * ({@link PartitionFit#merge}) in the partitions' canonical order.
   *
   * @throws IllegalArgumentException if the features hold no rows
   */
  public ModelFits<GramFit, Kernel> gramSums(TrainingBlocks trainFeatures) {
    List<PartitionFit.Keyed<ModelFits<GramFit, Kernel>>> fits = trainFeatures.rdd()
        .mapPartitionsWithIndex(new FitPartition<GramFit, Kernel>(checkpoints.size(),
            attributor.fitFactory()), false)
        .collect();
    return PartitionFit.mergeInKeyOrder(fits);
  }

  /**
   * The preconditioners of a method whose curvature comes from the features or that has none
   * ({@link PreconditionerSource#FEATURE_KERNEL}, {@link PreconditionerSource#IDENTITY}), from
   * kernels fitted elsewhere (an incremental run's merged per-partition sums), always through the
   * k x k kernel (never the dual n x n matrix, whose size would grow with every increment).
   *
   * @param kernels one per checkpoint; null for {@code IDENTITY}
   * @throws IllegalArgumentException for a method whose curvature needs passes over the training
   *     rows or the training set on the driver
   */
  public List<Preconditioner> preconditioners(List<Kernel> kernels) {
    PreconditionerSource source = attributor.preconditionerSource();
    if (source != PreconditionerSource.FEATURE_KERNEL
        && source != PreconditionerSource.IDENTITY) {
      throw new IllegalArgumentException("method " + spec.method() + " fits its curvature from"
          + " the training rows themselves (" + source + "), which has no per-partition sum;"
          + " expected a method with a feature kernel or none (e.g. trak, grad-dot, tracin)");
    }
    List<Preconditioner> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      out.add(attributor.precondition(c, kernels == null ? null : kernels.get(c), null));
    }
    return out;
  }

  /** Training rows of checkpoint 0 (every checkpoint featurizes the same rows). */
  private static long rowsOfFirstModel(TrainingBlocks trainFeatures) {
    return trainFeatures.rdd().filter(b -> b.model() == 0).map(b -> (long) b.size())
        .fold(0L, Long::sum);
  }

  /**
   * The kernel preconditioners for k > n through the n x n dual matrix ({@link
   * InnerProductAttributor#dualKernel}): each checkpoint's n x k training features (fewer values
   * than one k x k kernel) are collected to the driver in ascending example id, so the result does
   * not depend on the partitioning.
   */
  private List<Preconditioner> dualKernels(TrainingBlocks trainFeatures) {
    List<FeatureMatrix> blocks = trainFeatures.rdd().collect();
    List<Preconditioner> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      final int model = c;
      List<FeatureMatrix> parts = blocks.stream().filter(m -> m.model() == model).toList();
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("the training features hold no rows of model " + c);
      }
      out.add(attributor.dualKernel(inIdOrder(parts)));
    }
    return out;
  }

  /**
   * The training input rows of a run and the name of their source (for error messages).
   *
   * @param rows in the input-rows schema
   * @param source e.g. the setting's description of the scored rows
   */
  public record TrainingRows(Dataset<Row> rows, String source) {}

  /**
   * The K-FAC or EK-FAC preconditioner of every checkpoint, fitted across the cluster: pass one
   * sums each partition's Kronecker factors, the driver merges them in key order ({@link
   * PartitionFit#mergeInKeyOrder}) and eigendecomposes them; for EK-FAC, pass two (with the
   * eigenbases broadcast) sums the eigenvalue corrections the same way. The driver holds one set of
   * factors per checkpoint and non-empty partition at once; nothing of size n is collected.
   */
  public List<Preconditioner> layerFactors(TrainingRows training) {
    if (training == null) {
      throw new IllegalArgumentException(spec.method() + " fits its factors by passes over the"
          + " training rows: given none");
    }
    KfacOptions options = spec.kfacOptions();
    JavaRDD<Row> rows = TableFormat.INPUT_ROWS.conform(training.rows(), training.source())
        .javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try {
      // The makers run on executors: they capture broadcasts, never this driver-side object.
      Broadcast<List<Checkpoint>> models = broadcastCheckpoints;
      Map<String, Double> seconds = new LinkedHashMap<>();
      long t = System.nanoTime();
      List<KroneckerFactorFit> sums = mergePass(rows, training.source(), options,
          c -> new KroneckerFactorFit(models.value().get(c).spec().tappedLayers()));
      t = KfacPasses.lap(seconds, KfacPasses.FitStep.FACTORS, t);
      List<KroneckerFactors> factors = sums.stream().map(KroneckerFactorFit::finish).toList();
      t = KfacPasses.lap(seconds, KfacPasses.FitStep.EIGENDECOMPOSITION, t);
      List<EigenCorrectionFit> corrections = null;
      if (options.variant() == KfacOptions.Variant.EKFAC) {
        Broadcast<List<KroneckerFactors>> bases = context.broadcast(factors);
        corrections = mergePass(rows, training.source(), options,
            c -> new EigenCorrectionFit(bases.value().get(c)));
        KfacPasses.lap(seconds, KfacPasses.FitStep.EIGENVALUE_CORRECTION, t);
      }
      List<Preconditioner> out = new ArrayList<>();
      for (int c = 0; c < checkpoints.size(); c++) {
        out.add(KfacPreconditioner.of(factors.get(c), corrections == null ? null
            : corrections.get(c).finish(), spec.lambdaSpec(), featureDim, seconds));
      }
      return out;
    } finally {
      rows.unpersist();
    }
  }

  /** One pass over the rows, its partition fits merged per checkpoint in key order. */
  private <F extends PartitionFit<Backprop, F, ?>> List<F> mergePass(JavaRDD<Row> rows,
      String source, KfacOptions options, PassPartition.Maker<F> maker) {
    List<PassPartition.ModelFit<F>> fits = rows.mapPartitionsWithIndex(new PassPartition<>(
        broadcastCheckpoints, options, spec.batchSize(), numClasses, source, maker), false)
        .collect();
    List<F> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      final int model = c;
      out.add(PartitionFit.mergeInKeyOrder(fits.stream().filter(f -> f.model() == model)
          .map(PassPartition.ModelFit::keyed).toList()));
    }
    return out;
  }

  /**
   * The query features of each checkpoint in ascending example id (collected: m x k per
   * checkpoint is small), decoded per partition and joined on the driver.
   */
  public List<FeatureMatrix> collectQueryFeatures(Dataset<Row> queryFeatures) {
    List<FeatureMatrix> blocks = FeatureBlocks.of(queryFeatures, Integer.MAX_VALUE, featureDim)
        .collect();
    List<FeatureMatrix> out = new ArrayList<>();
    for (int c = 0; c < checkpoints.size(); c++) {
      final int model = c;
      List<FeatureMatrix> parts = blocks.stream().filter(m -> m.model() == model).toList();
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("the query features hold no rows of model " + c);
      }
      out.add(inIdOrder(parts));
    }
    return out;
  }

  /** The rows of one checkpoint's blocks as one matrix, sorted by example id (copies only). */
  private static FeatureMatrix inIdOrder(List<FeatureMatrix> parts) {
    int k = parts.get(0).k();
    List<long[]> rows = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      for (int i = 0; i < parts.get(p).size(); i++) {
        rows.add(new long[] {parts.get(p).ids()[i], p, i});
      }
    }
    rows.sort(java.util.Comparator.comparingLong(r -> r[0]));
    int n = rows.size();
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] q = new float[n];
    float[] phi = new float[n * k];
    for (int r = 0; r < n; r++) {
      FeatureMatrix from = parts.get((int) rows.get(r)[1]);
      int i = (int) rows.get(r)[2];
      ids[r] = from.ids()[i];
      labels[r] = from.labels()[i];
      q[r] = from.q()[i];
      System.arraycopy(from.phi(), i * k, phi, r * k, k);
    }
    return new FeatureMatrix(parts.get(0).model(), ids, labels, phi, q, k);
  }

  /**
   * Scores of every training example against every query: rows (example_id, scores), one per
   * training example, scores in the order of {@code queries}' ids. Lazy and not persisted: each
   * action scores again, so persist the result to use it more than once.
   */
  public Dataset<Row> score(TrainingBlocks trainFeatures, List<FeatureMatrix> queries,
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
    return finish(trainFeatures, scorer, m, TableFormat.SCORES_FULL.schema());
  }

  /**
   * Preconditioned query features broadcast per block of queries: at most this many bytes (m_b x
   * k x models floats), so that the query side of a score pass is bounded however many queries
   * there are. Each block is one pass over the (persisted) training blocks.
   */
  public static final long QUERY_BLOCK_BYTES = 64L << 20;

  /** Queries per block under {@link #QUERY_BLOCK_BYTES} for this run's k and models. */
  public int queryBlock() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        QUERY_BLOCK_BYTES / (4L * featureDim * checkpoints.size())));
  }

  /**
   * The top-K of a score pass that keeps no scores.
   *
   * @param top per query, in the order of the query features: [0] proponents, [1] opponents
   * @param examples the number of training examples scored
   */
  public record TopKScores(TopK[][] top, long examples) {}

  /**
   * Top-K proponents and opponents of every query, streamed: the queries go in blocks of at most
   * {@code queryBlock}; for each block the preconditioned queries are broadcast and every
   * training partition scores its feature blocks one at a time, offering each finished example to
   * the block's selections ({@link TopKPartition}). No row of scores is kept anywhere: a task
   * holds one feature block's products and its selections, the driver the merged selections. The
   * values offered are those of {@link #score} (same products, same order of summation) when the
   * queries fit one block; with several blocks the products have other shapes, which may change
   * the last bits.
   *
   * @param queries each checkpoint's query features, same rows in the same order
   * @param k proponents and opponents kept per query
   * @param queryBlock queries per pass, ≥ 1 ({@link #queryBlock()} keeps the broadcast bounded)
   */
  public TopKScores topK(TrainingBlocks trainFeatures, List<FeatureMatrix> queries,
      List<Preconditioner> preconditioners, int k, int queryBlock) {
    if (queryBlock < 1) {
      throw new IllegalArgumentException("query block given " + queryBlock + ": must be >= 1");
    }
    int m = queries.get(0).size();
    TopK[][] top = new TopK[m][];
    long examples = 0;
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    double[] coefficients = attributor.coefficients();
    int models = checkpoints.size();
    RowWeight weight = attributor.recipe().weight();
    for (int from = 0; from < m; from += queryBlock) {
      int to = Math.min(m, from + queryBlock);
      int width = to - from;
      float[][] psi = new float[queries.size()][];
      for (int c = 0; c < psi.length; c++) {
        FeatureMatrix q = width == m ? queries.get(c) : queries.get(c).slice(from, to);
        psi[c] = preconditioners.get(c).apply(q.phi(), q.size());
      }
      Broadcast<float[][]> broadcast = context.broadcast(psi);
      ScorePartition.BlockScorer scorer = (sums, block) ->
          sums.add(block, broadcast.value()[block.model()], coefficients[block.model()]);
      JavaRDD<TopKPartition.Out> parts = trainFeatures.rdd().mapPartitions(new TopKPartition(
          scorer, width, models, weight, k)).persist(StorageLevel.MEMORY_AND_DISK());
      TopK[][] block = parts.map(TopKPartition.Out::top).treeReduce(TopKPartition::merge);
      long finished = parts.map(TopKPartition.Out::finished).reduce(Long::sum);
      // Examples split across partitions (the few whose rows straddle a split of a features
      // file, which is sorted by example id): finished by id on the executors, offered here.
      List<PartialScores.Row> split = parts.flatMap(o -> o.partials().iterator())
          .mapToPair(p -> new scala.Tuple2<>(p.exampleId(), p))
          .groupByKey()
          .map(g -> {
            List<PartialScores.Partial> ps = new ArrayList<>();
            g._2().forEach(ps::add);
            return new PartialScores(width, models, weight).combine(ps);
          }).collect();
      split.forEach(row -> TopKPartition.offer(block, row));
      examples = finished + split.size();
      parts.unpersist(false);
      broadcast.destroy();
      System.arraycopy(block, 0, top, from, width);
    }
    return new TopKScores(top, examples);
  }

  /**
   * Self-influence of every training example, the loss measured on both sides (core {@link
   * SelfInfluence}): rows (example_id, self_influence). Persisted; unpersist when done.
   */
  public Dataset<Row> selfInfluence(TrainingBlocks trainFeatures,
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
  private Dataset<Row> finish(TrainingBlocks trainFeatures, ScorePartition.BlockScorer scorer,
      int width, org.apache.spark.sql.types.StructType schema) {
    int models = checkpoints.size();
    RowWeight weight = attributor.recipe().weight();
    JavaRDD<ScorePartition.Out> out = trainFeatures.rdd().mapPartitions(new ScorePartition(
        scorer, width, models, weight))
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Row> complete = out.filter(o -> o.scores() != null)
        .map(o -> RowFactory.create(o.exampleId(), finite(o.exampleId(), o.scores())));
    JavaRDD<Row> finished = out.filter(o -> o.partial() != null)
        .mapToPair(o -> new scala.Tuple2<>(o.exampleId(), o.partial()))
        .groupByKey()
        .map(g -> {
          List<PartialScores.Partial> parts = new ArrayList<>();
          g._2().forEach(parts::add);
          PartialScores.Row r = new PartialScores(width, models, weight).combine(parts);
          return RowFactory.create(r.exampleId(), finite(r.exampleId(), r.scores()));
        });
    return spark.createDataFrame(complete.union(finished), schema);
  }

  /**
   * The scores of one training example, refused if one is NaN or infinite: the task fails, so no
   * score table is committed with {@code _SUCCESS} and no stage record is written over it.
   */
  private static float[] finite(long exampleId, float[] scores) {
    int bad = dev.ascribe.core.linalg.NonFinite.firstIndex(scores);
    if (bad >= 0) {
      throw new IllegalArgumentException("scores of example_id=" + exampleId + " are non-finite ("
          + scores[bad] + " for query column " + bad + "): the features or the preconditioner"
          + " hold extreme values; check the kernel stage's lambda and the models");
    }
    return scores;
  }

  /**
   * Top-K proponents and opponents of each query from score rows (example_id, scores), merged
   * across partitions; the scores are read from Spark's internal rows, unboxed.
   */
  public static TopK[][] topK(Dataset<Row> scores, int numQueries, int k) {
    return scores.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (Iterator<InternalRow> rows) -> {
      TopK[][] top = TopKPartition.empty(numQueries, k);
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        long id = r.getLong(0);
        ArrayData s = r.getArray(1);
        for (int q = 0; q < numQueries; q++) {
          float score = s.getFloat(q);
          top[q][0].offer(id, score);
          top[q][1].offer(id, score);
        }
      }
      List<TopK[][]> one = new ArrayList<>();
      one.add(top);
      return one.iterator();
    }).treeReduce(TopKPartition::merge);
  }
}
