package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.attribute.Checkpoint;
import dev.ascribe.core.attribute.FeatureMatrix;
import dev.ascribe.core.attribute.InnerProductAttributor;
import dev.ascribe.core.attribute.KernelPreconditioner;
import dev.ascribe.core.attribute.Preconditioner;
import dev.ascribe.core.attribute.ScoreMatrix;
import dev.ascribe.core.attribute.TopK;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.io.Features;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code attribute}: trains missing models, then featurize → kernel → score, writing each stage's
 * output with its provenance under the run folder. The computation is the in-memory API's
 * ({@link InnerProductAttributor.Fitted}); Spark reads and writes the Parquet tables.
 */
public final class AttributeJob {
  private static final Logger LOG = LoggerFactory.getLogger(AttributeJob.class);
  /** Full score matrices up to this many entries are written by default (DESIGN.md). */
  static final long FULL_SCORES_LIMIT = 50_000_000L;

  private AttributeJob() {}

  /**
   * What an attribute run produced.
   *
   * @param scores the score matrix (rows = training examples, columns = queries)
   * @param train training rows
   * @param queries query rows
   * @param seconds stage durations
   */
  public record Result(ScoreMatrix scores, Dataset train, Dataset queries,
      Map<String, Double> seconds) {}

  public static Result run(JobConfig config, Setting setting, RunFolder run, SparkSession spark)
      throws IOException {
    boolean overwrite = Boolean.parseBoolean(config.getString("overwrite"));
    String method = Methods.spec(config).method();
    int topk = config.getInt("topk");
    if (topk < 1) {
      throw config.invalid("topk", "must be >= 1");
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    Dataset train = setting.trainData();
    Dataset queries = setting.queryData();

    long t = System.nanoTime();
    List<Checkpoint> checkpoints = ensureModels(config, setting, run, train, queries);
    seconds.put("train", since(t));

    t = System.nanoTime();
    InnerProductAttributor attributor = Methods.attributor(config, checkpoints);
    InnerProductAttributor.Fitted fitted = attributor.cache(train);
    List<FeatureMatrix> queryFeatures = fitted.queryFeatures(queries);
    seconds.put("featurize", since(t));
    Tables.writeFeatures(spark, toTable(fitted.features()), run.trainFeatures().toString(),
        overwrite);
    Tables.writeFeatures(spark, toTable(queryFeatures), run.queryFeatures().toString(), overwrite);
    stage("featurize", config, setting, method, train, queries)
        .put("projection_dim", queryFeatures.get(0).k()).result("seconds", seconds.get("featurize"))
        .write(run.features());

    t = System.nanoTime();
    List<Map<String, Object>> kernels = writeKernels(fitted.preconditioners(), run);
    seconds.put("kernel", since(t));
    stage("kernel", config, setting, method, train, queries).result("kernels", kernels)
        .write(run.kernel());

    t = System.nanoTime();
    ScoreMatrix scores = fitted.score(queryFeatures);
    seconds.put("score", since(t));
    Tables.writeScoresTopK(spark, topK(scores, topk), run.topK().toString(), overwrite);
    boolean full = writeFull(config, scores);
    if (full) {
      Tables.writeScoresFull(spark, new FullScores(scores.trainIds(), scores.queryIds(),
          scores.toRows()), run.fullScores().toString(), overwrite);
    }
    stage("score", config, setting, method, train, queries).put("topk", topk)
        .put("full_scores", full).result("seconds", seconds).write(run.scores());
    LOG.info("attribute: {} scores for {} training examples x {} queries in {}", method,
        scores.numTrain(), scores.numQueries(), seconds);
    return new Result(scores, train, queries, seconds);
  }

  /** Trains (or reuses) the configured models and returns their final-epoch checkpoints. */
  static List<Checkpoint> ensureModels(JobConfig config, Setting setting, RunFolder run,
      Dataset train, Dataset eval) throws IOException {
    String dir = config.getString("models.dir");
    ModelStore store = new ModelStore(dir.isEmpty() ? run.models() : Path.of(dir));
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<ModelRecord> records = ModelTraining.ensureAll(config, setting, store, train, eval);
    for (int i = 0; i < records.size(); i++) {
      checkpoints.add(Checkpoint.fromStore(store, i, records.get(i).finalEpoch()));
    }
    return checkpoints;
  }

  private static boolean writeFull(JobConfig config, ScoreMatrix scores) {
    String full = config.getString("scores.full");
    return switch (full) {
      case "auto" -> (long) scores.numTrain() * scores.numQueries() <= FULL_SCORES_LIMIT;
      case "true" -> true;
      case "false" -> false;
      default -> throw config.invalid("scores.full", "expected auto, true or false");
    };
  }

  private static List<Map<String, Object>> writeKernels(List<Preconditioner> preconditioners,
      RunFolder run) throws IOException {
    List<Map<String, Object>> described = new ArrayList<>();
    for (int c = 0; c < preconditioners.size(); c++) {
      Preconditioner p = preconditioners.get(c);
      described.add(p.describe());
      if (p instanceof KernelPreconditioner kernel) {
        Path file = run.kernelFile(c);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".kernel", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
          kernel.factorized().save(out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return described;
  }

  static Features toTable(List<FeatureMatrix> perModel) {
    int rows = perModel.stream().mapToInt(FeatureMatrix::size).sum();
    long[] ids = new long[rows];
    int[] models = new int[rows];
    int[] labels = new int[rows];
    float[][] phi = new float[rows][];
    float[] q = new float[rows];
    int r = 0;
    for (FeatureMatrix m : perModel) {
      for (int i = 0; i < m.size(); i++, r++) {
        ids[r] = m.ids()[i];
        models[r] = m.model();
        labels[r] = m.labels()[i];
        phi[r] = m.row(i);
        q[r] = m.q()[i];
      }
    }
    return new Features(ids, models, labels, phi, q);
  }

  static TopKScores topK(ScoreMatrix scores, int k) {
    List<Long> queryIds = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    List<Long> exampleIds = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<TopK.Kind> kinds = new ArrayList<>();
    for (int q = 0; q < scores.numQueries(); q++) {
      for (TopK.Kind kind : TopK.Kind.values()) {
        int rank = 1;
        for (TopK.Entry e : scores.top(q, k, kind)) {
          queryIds.add(scores.queryId(q));
          ranks.add(rank++);
          exampleIds.add(e.exampleId());
          values.add(e.score());
          kinds.add(kind);
        }
      }
    }
    return new TopKScores(queryIds.stream().mapToLong(Long::longValue).toArray(),
        ranks.stream().mapToInt(Integer::intValue).toArray(),
        exampleIds.stream().mapToLong(Long::longValue).toArray(),
        values.stream().mapToDouble(Double::doubleValue).toArray(),
        kinds.toArray(new TopK.Kind[0]));
  }

  static Provenance stage(String job, JobConfig config, Setting setting, String method,
      Dataset train, Dataset queries) {
    return Provenance.start(job).put("setting", setting.name()).put("method", method)
        .put("seed", setting.seed())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("train", train.name(), train.size()).input("queries", queries.name(),
            queries.size());
  }

  static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
