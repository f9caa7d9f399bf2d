package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.precondition.KfacPreconditioner;
import dev.ascribe.core.precondition.SpectralPreconditioner;
import dev.ascribe.core.precondition.PreconditionerSource;
import dev.ascribe.core.select.LambdaSelection;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.score.TopK;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.Factorized;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.progress.SparkProgress;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code attribute}: trains missing models, then runs featurize → kernel → score on Spark
 * ({@link SparkAttribution}), each stage writing its output and provenance under the run folder and
 * reused on a rerun when its inputs and options are unchanged ({@link StageRecord}). With {@code
 * attribute.incremental = true} the featurize stage works partition by partition on a store of
 * per-partition features and Gram sums ({@link Incremental}), and the kernel stage merges the
 * stored sums.
 */
public final class AttributeJob {
  private static final Logger LOG = LoggerFactory.getLogger(AttributeJob.class);
  /** Full score matrices up to this many entries are written by default (DESIGN.md). */
  static final long FULL_SCORES_LIMIT = 50_000_000L;

  private AttributeJob() {}

  /**
   * What an attribute run produced, for printing.
   *
   * @param queries the query rows
   * @param top per query (in {@code queries} order): [0] proponents, [1] opponents
   * @param labels labels of the training examples in {@code top}
   * @param seconds stage durations (0 for a reused stage)
   */
  public record Result(Dataset queries, TopK[][] top, Map<Long, Integer> labels,
      Map<String, Double> seconds) {}

  public static Result run(JobConfig config, Setting setting, RunFolder run, SparkSession spark)
      throws IOException {
    MethodSpec spec = Methods.spec(config);
    int topk = config.getInt("topk");
    if (topk < 1) {
      throw config.invalid("topk", "must be >= 1");
    }
    String full = config.getString("scores.full");
    if (!List.of("auto", "true", "false").contains(full)) {
      throw config.invalid("scores.full", "expected auto, true or false");
    }
    // Fails here, before any work, for device=gpu on a machine without one; the executors of
    // this JVM (embedded Spark) allocate on the same device.
    ai.djl.Device device = setting.device().resolve();
    System.setProperty(dev.ascribe.core.model.ComputeDevice.PROPERTY,
        setting.device().name().toLowerCase(java.util.Locale.ROOT));
    Map<String, Double> seconds = new LinkedHashMap<>();
    Dataset train = setting.trainData();
    boolean incremental = Incremental.enabled(config, setting);
    Dataset queries = incremental ? setting.queryDataByPartitions() : setting.queryData();

    long t = System.nanoTime();
    ModelStore store = ModelDirs.store(config.getString("models.dir"), run, spark,
        setting.models());
    ModelTraining.requireReusable(config, setting, store, train);
    MethodCheckpoints selected = MethodCheckpoints.select(spec, store,
        ModelTraining.ensureAll(config, setting, store, train, queries), train);
    List<Checkpoint> checkpoints = selected.checkpoints();
    seconds.put("train", since(t));
    SparkAttribution attribution =
        new SparkAttribution(spark, spec, checkpoints, setting.spec().numClasses());
    // An incremental run partitions each input partition by its own rows (option 0), never by
    // the whole table's, which grows.
    int partitions = incremental ? config.getInt("partitions") : setting.partitions();

    Map<String, Object> featureKey = new LinkedHashMap<>(spec.toMap());
    featureKey.remove("lambda");
    featureKey.remove(MethodSpec.LAMBDA_DEFAULTED);
    featureKey.put("models", selected.hashes());
    featureKey.put("scored", setting.scoredSpec().describe());
    featureKey.put("queries", setting.querySpec().describe());
    featureKey.put("partitions", partitions);
    // One run at a time per store too, which another --out may share (attribute.store); held
    // until the score stage has read the entries a later increment may remove.
    try (RunLock storeLock = incremental ? Incremental.lockStore(config, run, spark) : null) {
      t = System.nanoTime();
      org.apache.spark.sql.Dataset<Row> trainFeatures;
      org.apache.spark.sql.Dataset<Row> queryTable;
      KernelFit fit;
      // Rows scored, where known without a Spark job (the store's manifest counts them).
      Long scoredRows = null;
      if (incremental) {
        Incremental.Features features = Incremental.featurize(config, setting, spec, run, spark,
            attribution, featureKey, queries, seconds);
        trainFeatures = features.train();
        queryTable = features.queries();
        fit = features.fit();
        scoredRows = features.rows();
        // Later stages depend on every partition's fingerprint and the queries'.
        featureKey.put("inputs", features.inputs());
      } else {
        featurizeStage(config, setting, spec, run, spark, attribution, featureKey, partitions,
            queries, device, seconds, t);
        trainFeatures = ParquetTables.read(spark, TableFormat.FEATURES,
            run.trainFeatures().toString());
        queryTable = ParquetTables.read(spark, TableFormat.FEATURES,
            run.queryFeatures().toString());
        fit = null;
      }
      // Decoded once per partition for the kernel fit and the score passes below.
      // The store holds each input partition as its own small files: scored by a few tasks.
      try (TrainingBlocks blocks = incremental ? attribution.decode(trainFeatures,
          Incremental.passTasks(spark, config.getInt("partitions"), scoredRows))
          : attribution.decode(trainFeatures)) {
        KernelFit kernelFit = fit != null ? fit : () -> attribution.preconditioners(blocks,
            new SparkAttribution.TrainingRows(setting.trainRows(), setting.trainSpec().describe()),
            train);
        Map<String, Object> kernelKey = new LinkedHashMap<>(featureKey);
        kernelKey.put("lambda", spec.lambdaSpec().toString());
        if (spec.preconditionerSource() == PreconditionerSource.LAYER_FACTORS
            || spec.preconditionerSource() == PreconditionerSource.TRAINING_DATA) {
          // Curvature of the training rows, whichever rows get scores.
          kernelKey.put("train", setting.trainSpec().describe());
        }
        if (spec.toMap().get(MethodSpec.LAMBDA_DEFAULTED) instanceof Boolean defaulted) {
          kernelKey.put(MethodSpec.LAMBDA_DEFAULTED, defaulted);
        }
        List<Preconditioner> kernels;
        // The kernel stage's Spark work: the Gram sums, or K-FAC's two passes over the training rows.
        try (SparkProgress.Label progress = SparkProgress.stage(spark, "kernel")) {
          kernels = kernelStage(config, setting, spec, run, spark, attribution, kernelFit, train,
              kernelKey, incremental ? Incremental.tasks(spark, partitions) : partitions, seconds);
        }
        TopK[][] computed;
        try (SparkProgress.Label progress = SparkProgress.stage(spark, "score")) {
          computed = scoreStage(config, setting, spec, run, spark, attribution, blocks, kernels,
              kernelKey, topk, full, queries, trainFeatures, scoredRows, queryTable, seconds);
        }
        TopK[][] top = computed == null ? readTopK(spark, run, queries) : computed;
        return new Result(queries, top, labelsOf(trainFeatures, top), seconds);
      }
    }
  }

  /** How a kernel stage that is not reused gets its preconditioners. */
  @FunctionalInterface
  interface KernelFit {
    List<Preconditioner> fit() throws IOException;
  }

  /** The featurize stage of a run that is not incremental: reused, or both tables written. */
  private static void featurizeStage(JobConfig config, Setting setting, MethodSpec spec,
      RunFolder run, SparkSession spark, SparkAttribution attribution,
      Map<String, Object> featureKey, int partitions, Dataset queries, ai.djl.Device device,
      Map<String, Double> seconds, long t) throws IOException {
    if (!StageRecord.reuse("featurize", run.features(), featureKey)) {
      boolean overwrite = true;
      try (SparkProgress.Label progress = SparkProgress.stage(spark, "featurize")) {
        ParquetTables.writePartitioned(attribution.featurize(setting.scoredRows(), false,
            setting.scoredSpec().describe()), TableFormat.FEATURES,
            run.trainFeatures().toString(), overwrite);
      }
      ParquetTables.writePartitioned(attribution.featurize(InputSources.of(spark, queries,
          Math.min(partitions, queries.size())), true, setting.querySpec().describe()),
          TableFormat.FEATURES, run.queryFeatures().toString(), overwrite);
      seconds.put("featurize", since(t));
      stage("featurize", config, setting, spec, featureKey).put("feature_dim",
          spec.featureDim(setting.spec())).put("device", device.toString()).result("seconds", seconds.get("featurize"))
          .write(run.features());
    }
  }

  /**
   * The kernel stage: reused from the stored factorizations without refitting when its inputs and
   * options are unchanged, else fitted, stored and recorded (with the ξ̄ report of {@code
   * lambda=auto} beside it).
   */
  private static List<Preconditioner> kernelStage(JobConfig config, Setting setting,
      MethodSpec spec, RunFolder run, SparkSession spark, SparkAttribution attribution,
      KernelFit fit, Dataset train, Map<String, Object> kernelKey, int validationTasks,
      Map<String, Double> seconds) throws IOException {
    long t = System.nanoTime();
    if (StageRecord.reuse("kernel", run.kernel(), kernelKey)) {
      return readKernels(attribution, run, train, spec.featureDim(setting.spec()));
    }
    List<Preconditioner> kernels = fit.fit();
    LambdaSelection report = null;
    if (attribution.attributor().preconditionerSource() == PreconditionerSource.FEATURE_KERNEL
        && spec.lambdaSpec().kind() == LambdaSpec.Kind.AUTO) {
      report = LambdaReport.of(attribution, kernels, setting, spark, validationTasks);
    }
    List<Map<String, Object>> described = writeKernels(kernels, run);
    seconds.put("kernel", since(t));
    Provenance kernelStage = stage("kernel", config, setting, spec, kernelKey)
        .result("kernels", described);
    if (report != null) {
      kernelStage.result("lambda_selection", report.toMap());
    }
    kernelStage.result("seconds", seconds.get("kernel")).write(run.kernel());
    return kernels;
  }

  /**
   * The score stage: scores, top-K (and optionally full scores and self-influence) written and
   * the top-K returned as computed, in {@code queries}' order; null when the stage is reused (its
   * table is read back then).
   *
   * @param scoredRows the number of scored examples if known, else null (counted)
   */
  private static TopK[][] scoreStage(JobConfig config, Setting setting, MethodSpec spec,
      RunFolder run, SparkSession spark, SparkAttribution attribution, TrainingBlocks blocks,
      List<Preconditioner> kernels, Map<String, Object> kernelKey, int topk, String full,
      Dataset queries, org.apache.spark.sql.Dataset<Row> trainFeatures, Long scoredRows,
      org.apache.spark.sql.Dataset<Row> queryTable, Map<String, Double> seconds)
      throws IOException {
    Map<String, Object> scoreKey = new LinkedHashMap<>(kernelKey);
    scoreKey.put("topk", topk);
    scoreKey.put("scores.full", full);
    boolean self = Boolean.parseBoolean(config.getString("scores.self"));
    scoreKey.put("scores.self", self);
    long t = System.nanoTime();
    if (StageRecord.reuse("score", run.scores(), scoreKey)) {
      return null;
    }
    List<FeatureMatrix> queryFeatures = attribution.collectQueryFeatures(queryTable);
    long[] queryIds = queryFeatures.get(0).ids();
    // Every scored example has one row of model 0: n without scoring anything.
    boolean writeFull = full.equals("true") || full.equals("auto")
        && (scoredRows != null ? scoredRows
            : trainFeatures.filter(functions.col(Columns.MODEL).equalTo(0)).count())
        * queryIds.length <= FULL_SCORES_LIMIT;
    long n;
    TopK[][] top;
    if (writeFull) {
      // Two passes over the decoded blocks, no score row kept between them: the top-K streamed
      // with every query in one block (the products of the score rows, so the same bits), then
      // the score rows straight into the table.
      SparkAttribution.TopKScores streamed = attribution.topK(blocks, queryFeatures, kernels,
          topk, queryIds.length);
      n = streamed.examples();
      top = streamed.top();
      var scores = attribution.score(blocks, queryFeatures, kernels);
      Tables.writeScoresFull(scores, queryIds, run.fullScores().toString(), true,
          Math.max(1, scores.rdd().getNumPartitions()));
    } else {
      // Top-K only: streamed in query blocks, no row of scores is kept (README "Scale").
      SparkAttribution.TopKScores streamed = attribution.topK(blocks, queryFeatures, kernels,
          topk, attribution.queryBlock());
      n = streamed.examples();
      top = streamed.top();
    }
    Tables.writeScoresTopK(spark, toTable(queryIds, top), run.topK().toString(), true);
    if (self) {
      var selfInfluence = attribution.selfInfluence(blocks, kernels);
      ParquetTables.writePartitioned(selfInfluence, TableFormat.SELF_INFLUENCE,
          run.selfInfluence().toString(), true);
      selfInfluence.unpersist();
    }
    seconds.put("score", since(t));
    stage("score", config, setting, spec, scoreKey).put("topk", topk).put("full_scores",
        writeFull).put("preconditioners", describe(kernels)).put("self_influence", self)
        .input("scored", setting.scoredSpec().describe(), n)
        .result("seconds", seconds).write(run.scores());
    LOG.info("attribute: {} scores for {} training examples x {} queries in {}",
        spec.method(), n, queryIds.length, seconds);
    return inQueryOrder(top, queryIds, queries, topk);
  }

  /**
   * Selections per query in {@code queries}' order from selections in {@code queryIds}' order, as
   * {@link #readTopK} orders the stored table (empty selections for a query without features).
   */
  private static TopK[][] inQueryOrder(TopK[][] top, long[] queryIds, Dataset queries,
      int k) {
    Map<Long, Integer> column = new HashMap<>();
    for (int j = 0; j < queryIds.length; j++) {
      column.put(queryIds[j], j);
    }
    TopK[][] out = new TopK[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      Integer j = column.get(queries.id(q));
      out[q] = j != null ? top[j]
          : new TopK[] {new TopK(k, TopK.Kind.PROPONENT), new TopK(k, TopK.Kind.OPPONENT)};
    }
    return out;
  }

  /**
   * Trains (or reuses) the configured models and returns the checkpoints the configured method
   * uses (final epochs; TracIn's listed epochs; RPS refitted on {@code train}).
   */
  public static List<Checkpoint> ensureModels(JobConfig config, Setting setting, RunFolder run,
      Dataset train, Dataset eval, ModelStore store) throws IOException {
    List<ModelStore.ModelRecord> records =
        ModelTraining.ensureAll(config, setting, store, train, eval);
    return MethodCheckpoints.select(Methods.spec(config), store, records, train)
        .checkpoints();
  }

  private static List<Map<String, Object>> describe(List<Preconditioner> preconditioners) {
    List<Map<String, Object>> out = new ArrayList<>();
    preconditioners.forEach(p -> out.add(p.describe()));
    return out;
  }

  private static List<Map<String, Object>> writeKernels(List<Preconditioner> preconditioners,
      RunFolder run) throws IOException {
    List<Map<String, Object>> described = new ArrayList<>();
    for (int c = 0; c < preconditioners.size(); c++) {
      Preconditioner p = preconditioners.get(c);
      described.add(p.describe());
      if (p instanceof KernelPreconditioner || p instanceof KfacPreconditioner
          || p instanceof SpectralPreconditioner) {
        run.kernel(c).write(RunFolder.KERNEL_FILE, out -> {
          if (p instanceof KernelPreconditioner kernel) {
            kernel.factorized().save(out);
          } else if (p instanceof SpectralPreconditioner spectral) {
            spectral.save(out);
          } else {
            ((KfacPreconditioner) p).save(out);
          }
        });
      }
    }
    return described;
  }

  /**
   * The preconditioners of a reused kernel stage: the stored factorizations read back, nothing
   * refitted ({@link dev.ascribe.core.method.InnerProductAttributor#restore}).
   */
  private static List<Preconditioner> readKernels(SparkAttribution attribution, RunFolder run,
      Dataset train, int featureDim) throws IOException {
    var attributor = attribution.attributor();
    PreconditionerSource source = attributor.preconditionerSource();
    List<Preconditioner> kernels = new ArrayList<>();
    for (int c = 0; c < attributor.task().checkpoints().size(); c++) {
      if (source == PreconditionerSource.LAYER_FACTORS) {
        // The fitted factors, eigenvalues and λ as stored: nothing is refitted.
        try (InputStream in = run.kernel(c).open(RunFolder.KERNEL_FILE)) {
          kernels.add(KfacPreconditioner.load(in, featureDim));
        }
        continue;
      }
      if (source != PreconditionerSource.FEATURE_KERNEL) {
        kernels.add(attributor.restore(c, null, train));
        continue;
      }
      try (InputStream in = new java.io.BufferedInputStream(
          run.kernel(c).open(RunFolder.KERNEL_FILE))) {
        // The kernel was stored factored, or as its spectrum where the dual form was used.
        kernels.add(SpectralPreconditioner.isStored(in)
            ? SpectralPreconditioner.load(in, featureDim)
            : attributor.restore(c, Factorized.load(in, featureDim), train));
      }
    }
    return kernels;
  }

  static TopKScores toTable(long[] queryIds, TopK[][] top) {
    List<Long> q = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    List<TopK.Kind> kinds = new ArrayList<>();
    for (int j = 0; j < queryIds.length; j++) {
      for (int side = 0; side < 2; side++) {
        int rank = 1;
        for (TopK.Entry e : top[j][side].sorted()) {
          q.add(queryIds[j]);
          ranks.add(rank++);
          ids.add(e.exampleId());
          scores.add(e.score());
          kinds.add(side == 0 ? TopK.Kind.PROPONENT : TopK.Kind.OPPONENT);
        }
      }
    }
    return new TopKScores(q.stream().mapToLong(Long::longValue).toArray(),
        ranks.stream().mapToInt(Integer::intValue).toArray(),
        ids.stream().mapToLong(Long::longValue).toArray(),
        scores.stream().mapToDouble(Double::doubleValue).toArray(),
        kinds.toArray(new TopK.Kind[0]));
  }

  /** The stored top-K table as selections per query, in {@code queries}' order. */
  private static TopK[][] readTopK(SparkSession spark, RunFolder run, Dataset queries) {
    TopKScores table = Tables.readScoresTopK(spark, run.topK().toString());
    Map<Long, Integer> column = new HashMap<>();
    for (int q = 0; q < queries.size(); q++) {
      column.put(queries.id(q), q);
    }
    int k = Math.max(1, java.util.Arrays.stream(table.ranks()).max().orElse(1));
    TopK[][] top = new TopK[queries.size()][2];
    for (int q = 0; q < queries.size(); q++) {
      top[q][0] = new TopK(k, TopK.Kind.PROPONENT);
      top[q][1] = new TopK(k, TopK.Kind.OPPONENT);
    }
    for (int r = 0; r < table.queryIds().length; r++) {
      Integer q = column.get(table.queryIds()[r]);
      if (q != null) {
        top[q][table.kinds()[r] == TopK.Kind.PROPONENT ? 0 : 1]
            .offer(table.exampleIds()[r], table.scores()[r]);
      }
    }
    return top;
  }

  /** Labels of the examples named in {@code top}, read from the features table (small). */
  private static Map<Long, Integer> labelsOf(org.apache.spark.sql.Dataset<Row> features,
      TopK[][] top) {
    List<Long> ids = new ArrayList<>();
    for (TopK[] q : top) {
      for (TopK side : q) {
        side.sorted().forEach(e -> ids.add(e.exampleId()));
      }
    }
    Map<Long, Integer> labels = new HashMap<>();
    if (ids.isEmpty()) {
      return labels;
    }
    for (Row r : features.filter(functions.col(Columns.MODEL).equalTo(0)
        .and(functions.col(Columns.EXAMPLE_ID).isin(ids.toArray())))
        .select(Columns.EXAMPLE_ID, Columns.LABEL).collectAsList()) {
      labels.put(r.getLong(0), r.getInt(1));
    }
    return labels;
  }

  static Provenance stage(String job, JobConfig config, Setting setting, MethodSpec spec,
      Map<String, Object> fingerprint) {
    return Provenance.start(job).put("setting", setting.name()).put("method", spec.method())
        .put("seed", setting.seed()).put(StageRecord.FIELD, fingerprint)
        .options(config.explicitOptions(), config.defaultedOptions());
  }

  public static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
