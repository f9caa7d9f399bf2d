package dev.ascribe.jobs.report;

import com.google.gson.Gson;
import dev.ascribe.core.metric.LabelFlip;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.task.Target;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.ModelDirs;
import dev.ascribe.jobs.pipeline.NoisyLabelJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import dev.ascribe.udf.metric.LdsAggregation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * The sections of a run folder's page: what ran ({@link RunSummary}), its metrics, the per-query
 * LDS against a ground truth, the distribution of the scores, the chosen queries with their top
 * proponents and opponents ({@link QueryCards}), and the self-influence outliers.
 */
final class RunReport {
  /** Training examples with the largest self-influence shown (likely mislabels). */
  static final int OUTLIERS = 10;
  private static final int BINS = 40;

  private final RunFolder run;
  private final SparkSession spark;
  private final Path dataRoot;
  private final Map<String, Object> record;
  private final String recordPath;
  private final JobConfig config;
  private final Setting setting;
  private final ExampleView view;

  /**
   * @param overrides {@code --set} pairs over the run's recorded options
   * @throws IllegalArgumentException if the run records no options
   */
  RunReport(RunFolder run, List<String> overrides, Path dataRoot, SparkSession spark)
      throws IOException {
    this.run = run;
    this.spark = spark;
    this.dataRoot = dataRoot;
    Path recordDir = hasRecord(run.scores().local()) ? run.scores().local() : run.eval().local();
    this.recordPath = recordDir.resolve(Provenance.FILE).toString();
    this.record = Provenance.read(recordDir);
    this.config = RecordedOptions.config(record, recordPath, overrides);
    this.setting = Setting.of(config, dataRoot, () -> spark);
    this.view = ExampleViews.of(config.getString("data.dataset"));
  }

  /** Whether {@code run} holds anything this report shows: scores or self-influence. */
  static boolean isRun(RunFolder run) {
    return hasRecord(run.scores().local()) || hasRecord(run.eval().local())
        && Files.exists(run.selfInfluence().local().resolve(ParquetTables.SUCCESS_MARKER));
  }

  private static boolean hasRecord(Path dir) {
    return Files.isRegularFile(dir.resolve(Provenance.FILE));
  }

  /** The page's title for this run. */
  String title() {
    return setting.name() + ", " + record.getOrDefault("method", config.getString("method"));
  }

  /**
   * Writes the sections.
   *
   * @param groundTruth a ground-truth run folder for the per-query LDS, or null
   * @param queries the --queries value, or null
   */
  void write(Xhtml page, ImageFolder images, RunFolder groundTruth, String queries)
      throws IOException {
    boolean topK = complete(run.topK().local());
    if (queries != null && !topK) {
      throw new IllegalArgumentException("--queries " + queries + ": " + run.topK()
          + " is not a complete top-K table; run 'ascribe attribute' into " + run.root());
    }
    // The pictures first: what a person opens the page for; the details of the run last.
    Map<String, Object> metrics = metrics();
    if (metrics != null) {
      RunSummary.metrics(page, metrics);
    }
    if (topK) {
      TopKScores table = Tables.readScoresTopK(spark, run.topK().toString());
      long[] runQueries = Arrays.stream(table.queryIds()).distinct().toArray();
      long[] chosen = QueryChoice.choose(queries, runQueries);
      Examples shown = Examples.read(setting.querySpec(), chosen, dataRoot, spark);
      new QueryCards(view, images).write(page, chosen, table, shown,
          trainingExamples(table, chosen), predictions(shown.subset(chosen)));
    }
    if (groundTruth != null) {
      ldsPerQuery(page, images, groundTruth, metrics);
    }
    if (topK) {
      scoreDistribution(page, images);
    }
    if (complete(run.selfInfluence().local())) {
      selfInfluence(page, images);
    }
    RunSummary.write(page, record, recordPath);
  }

  private boolean complete(Path table) {
    return ParquetTables.isComplete(spark, table.toString());
  }

  /** eval/metrics.json, or null if the run was not evaluated. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> metrics() throws IOException {
    Path file = run.eval().local().resolve("metrics.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), Map.class);
  }

  private void ldsPerQuery(Xhtml page, ImageFolder images, RunFolder groundTruth,
      Map<String, Object> metrics) throws IOException {
    String target = metrics != null && metrics.get("target") instanceof String t ? t
        : config.getString("target");
    LdsAggregation.Result result = LdsAggregation.evaluate(spark, run.fullScores().toString(),
        groundTruth.groundTruth().toString(), Target.parse(target));
    double[] perQuery = result.lds().perQuery();
    var summary = result.lds().summary();
    page.open("section", "id", "lds-per-query").element("h2", "LDS per query");
    page.open("p").text(String.format(Locale.ROOT, "Against %d ground-truth models in %s (%s"
        + " target): mean ", result.modelIds().length, groundTruth.root(), target))
        .element("span", Numbers.metric(summary.mean()), "id", "lds-mean")
        .text(" ± ").element("span", Numbers.metric(summary.stdError()), "id", "lds-stderr")
        .text(String.format(Locale.ROOT, " (standard error) over %d queries, %d skipped"
            + " (undefined correlation).", summary.count(), summary.skipped())).close("p");
    page.empty("img", "src", Charts.histogram(images, "lds-per-query", "LDS per query",
        "Spearman correlation (LDS)", "0.00", Bins.of(perQuery, 20)), "alt",
        "histogram of the per-query LDS", "class", "chart");
    page.close("section");
  }

  /** All scores when the full matrix is stored, else the top-K scores (the caption says which). */
  private void scoreDistribution(Xhtml page, ImageFolder images) throws IOException {
    Bins bins;
    String what;
    if (complete(run.fullScores().local())) {
      Tuple2<double[], long[]> h = ParquetTables.read(spark, TableFormat.SCORES_FULL,
          run.fullScores().toString()).select(functions.explode(functions.col(Columns.SCORES)))
          .javaRDD().mapToDouble(r -> r.getFloat(0)).histogram(BINS);
      bins = new Bins(h._1(), h._2());
      what = String.format(Locale.ROOT, "All %,d scores (training examples × queries, from %s).",
          bins.total(), run.fullScores());
    } else {
      double[] top = ParquetTables.read(spark, TableFormat.SCORES_TOP_K, run.topK().toString())
          .select(Columns.SCORE).collectAsList().stream().mapToDouble(r -> r.getDouble(0))
          .toArray();
      bins = Bins.of(top, BINS);
      what = String.format(Locale.ROOT, "The %,d top-K scores (no full score matrix stored).",
          top.length);
    }
    page.open("section", "id", "scores").element("h2", "Distribution of the scores")
        .element("p", what + " Positive: the example helped the query's prediction.");
    page.empty("img", "src", Charts.histogram(images, "scores", "Scores", "score", "0.###", bins), "alt",
        "histogram of the scores", "class", "chart");
    page.close("section");
  }

  private Examples trainingExamples(TopKScores table, long[] chosen) throws IOException {
    long[] ids = java.util.stream.IntStream.range(0, table.size())
        .filter(r -> Arrays.stream(chosen).anyMatch(q -> q == table.queryIds()[r]))
        .mapToLong(r -> table.exampleIds()[r]).distinct().toArray();
    return Examples.read(setting.scoredSpec(), ids, dataRoot, spark);
  }

  private Predictions predictions(dev.ascribe.core.data.Dataset queries) throws IOException {
    ModelStore store = ModelDirs.store(config.getString("models.dir"), run, spark,
        setting.models());
    return Predictions.of(store, setting.models(), queries);
  }

  private void selfInfluence(Xhtml page, ImageFolder images) throws IOException {
    List<Row> top = ParquetTables.read(spark, TableFormat.SELF_INFLUENCE,
        run.selfInfluence().toString()).orderBy(functions.col(Columns.SELF_INFLUENCE).desc(),
        functions.col(Columns.EXAMPLE_ID)).limit(OUTLIERS).collectAsList();
    long[] ids = top.stream().mapToLong(r -> r.getLong(r.fieldIndex(Columns.EXAMPLE_ID)))
        .toArray();
    Examples examples = Examples.read(setting.scoredSpec(), ids, dataRoot, spark);
    // A noisy-labels run trained on flipped labels: the label it trained on is the point.
    LabelFlip flip = "noisy-labels".equals(record.get("job"))
        ? NoisyLabelJob.flip(config, setting) : null;
    page.open("section", "id", "self-influence").element("h2", "Self-influence outliers")
        .element("p", "The " + ids.length + " training examples with the largest self-influence"
            + " (from " + run.selfInfluence() + "): the likeliest mislabelled ones."
            + (flip == null ? "" : " The run flipped " + flip.count() + " training labels"
                + " (noisy.fraction " + flip.fraction() + ", noisy.seed " + flip.seed()
                + ") and trained on them."));
    page.open("table", "class", "examples").open("tr").element("th", "rank")
        .element("th", "example").element("th", "id").element("th", "label")
        .element("th", "self-influence");
    if (flip != null) {
      page.element("th", "trained as");
    }
    page.close("tr");
    Map<Long, Integer> flipRow = new java.util.HashMap<>();
    for (int r = 0; flip != null && r < flip.data().size(); r++) {
      flipRow.put(flip.data().id(r), r);
    }
    for (int i = 0; i < ids.length; i++) {
      double value = top.get(i).getDouble(top.get(i).fieldIndex(Columns.SELF_INFLUENCE));
      page.open("tr", "class", "self");
      page.element("td", Integer.toString(i + 1)).open("td");
      view.show(page, images, "train-" + ids[i], examples.features(ids[i]),
          "training example " + ids[i]);
      page.close("td").element("td", Long.toString(ids[i]))
          .element("td", Integer.toString(examples.label(ids[i])))
          .element("td", Numbers.score(value));
      if (flip != null) {
        Integer r = flipRow.get(ids[i]);
        if (r == null) {
          throw new IllegalArgumentException(run.selfInfluence() + ": example " + ids[i]
              + " is not one of the flipped training rows " + flip.data().name());
        }
        page.element("td", flip.data().label(r) + (flip.flipped()[r] ? " (flipped)" : ""),
            "class", "trained-as");
      }
      page.close("tr");
    }
    page.close("table").close("section");
  }
}
