package dev.ascribe.jobs.config;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.BuiltInData;
import dev.ascribe.core.model.ModelKind;
import dev.ascribe.core.model.ModelSection;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TorchScriptSpec;
import dev.ascribe.core.train.Optimizer;
import dev.ascribe.core.train.TrainOptions;
import dev.ascribe.core.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.io.ParquetSchemas;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TokenRows;

/**
 * A benchmark setting as a configuration describes it (DESIGN.md, Benchmark settings): which rows
 * to train on and to explain, the model's shape and how it is trained. Everything is validated when
 * the setting is built, before any work starts.
 */
public final class Setting {
  private final String name;
  private final Path dataRoot;
  private final RowSpec train;
  private final RowSpec queries;
  private final RowSpec validation;
  private final RowSpec scored;
  private final int partitions;
  /** {@link #partitions()} for option 0, once resolved (0 until then). */
  private int defaultPartitions;
  private final dev.ascribe.core.model.ComputeDevice device;
  private final Supplier<SparkSession> spark;
  private final BuiltInData dataset;
  private final ModelSpec arch;
  private final TrainingRun trainingRun;
  private final int models;
  private final long seed;

  /**
   * A range of records of one split of a built-in dataset, or a Parquet table.
   *
   * @param dataset the built-in dataset the records come from
   * @param split the dataset split the rows come from
   * @param offset first record
   * @param count number of records
   */
  public record RowSpec(BuiltInData dataset, BuiltInData.Split split, int offset, int count,
      String path) {
    /** Rows from a Parquet input table rather than the built-in dataset. */
    public boolean fromParquet() {
      return !path.isEmpty();
    }

    /** A description for provenance and stage fingerprints. */
    public String describe() {
      return fromParquet() ? "parquet:" + path
          : dataset.id() + "/" + split.id() + "[" + offset + ","
              + (offset + count) + ")";
    }

    static RowSpec of(JobConfig c, String key, BuiltInData dataset) {
      BuiltInData.Split s = BuiltInData.Split.parse(c.getString(key + ".split"));
      if (s == null) {
        throw c.invalid(key + ".split", "expected train or test");
      }
      int offset = c.getInt(key + ".offset");
      int count = c.getInt(key + ".count");
      String path = c.getString(key + ".path");
      if (offset < 0) {
        throw c.invalid(key + ".offset", "must be >= 0");
      }
      if (count < 1 && path.isEmpty()) {
        throw c.invalid(key + ".count", "must be >= 1");
      }
      return new RowSpec(dataset, s, offset, count, path);
    }

    boolean overlaps(RowSpec o) {
      return !fromParquet() && !o.fromParquet() && split == o.split
          && offset < o.offset + o.count && o.offset < offset + count;
    }
  }

  private Setting(JobConfig c, Path dataRoot, Supplier<SparkSession> spark) {
    this.name = c.getString("setting");
    this.dataRoot = dataRoot;
    this.spark = spark;
    BuiltInData dataset;
    try {
      dataset = BuiltInData.of(c.getString("data.dataset"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("data.dataset", "expected " + BuiltInData.names());
    }
    this.dataset = dataset;
    this.train = RowSpec.of(c, "data.train", dataset);
    this.queries = RowSpec.of(c, "data.queries", dataset);
    this.validation = RowSpec.of(c, "data.validation", dataset);
    RowSpec scoredSpec = c.getInt("data.scored.count") == 0 && c.getString("data.scored.path")
        .isEmpty() ? train : RowSpec.of(c, "data.scored", dataset);
    this.scored = scoredSpec;
    this.partitions = c.getInt("partitions");
    this.device = dev.ascribe.core.model.ComputeDevice.of(c.getString("device"));
    if (partitions < 0) {
      throw c.invalid("partitions", "must be >= 0 (0: twice the default parallelism, or one"
          + " per " + ROWS_PER_PARTITION + " scored rows when that is more)");
    }
    if (validation.overlaps(queries)) {
      throw new IllegalArgumentException("option data.validation " + validation
          + " overlaps data.queries " + queries + ": hyperparameters chosen on evaluation queries"
          + " would flatter them; choose disjoint record ranges");
    }
    this.arch = modelSpec(c, dataset.dim(), dataset.numClasses());
    Optimizer optimizer;
    try {
      optimizer = Optimizer.of(c.getString("train.optimizer"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("train.optimizer", "expected sgd or adam");
    }
    TrainOptions options = TrainOptions.builder()
        .optOptimizer(optimizer)
        .optLearningRate(c.getDouble("train.lr"))
        .optMomentum(c.getDouble("train.momentum"))
        .optBatchSize(c.getInt("train.batch"))
        .setEpochs(c.getInt("train.epochs"))
        .build();
    this.seed = c.getLong("seed");
    this.trainingRun =
        new TrainingRun(arch, options, new TreeSet<>(c.getIntList("train.checkpoints")), seed);
    this.models = arch instanceof TorchScriptSpec imported ? imported.checkpoints().size()
        : c.getInt("models.count");
    if (models < 1) {
      throw c.invalid("models.count", "must be >= 1");
    }
    if (models != c.getInt("models.count") && c.explicitOptions().containsKey("models.count")) {
      throw c.invalid("models.count", "must be left out or " + models + " for model.kind"
          + " torchscript: one model per file of model.file");
    }
  }

  /**
   * Builds and validates the setting of a configuration; the data root is resolved already. The
   * Spark session is started only if some rows come from Parquet or are read on Spark.
   */
  public static Setting of(JobConfig config, Path dataRoot, Supplier<SparkSession> spark) {
    return new Setting(config, dataRoot, spark);
  }

  /** A setting that reads only built-in datasets (no Spark). */
  public static Setting of(JobConfig config, Path dataRoot) {
    return new Setting(config, dataRoot, () -> {
      throw new IllegalArgumentException("a data path option is set, which needs Spark");
    });
  }

  /**
   * The model the {@code model.*} options describe, parsed by its kind ({@link ModelKind}), for
   * rows of the dataset's width and classes.
   */
  private static ModelSpec modelSpec(JobConfig c, int inputDim, int numClasses) {
    ModelKind kind;
    try {
      kind = ModelKind.of(c.getString("model.kind"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("model.kind", "expected " + ModelKind.names());
    }
    return kind.parse(new ModelSection() {
      @Override
      public List<Integer> intList(String key) {
        return c.getIntList("model." + key);
      }

      @Override
      public String string(String key) {
        return c.getString("model." + key);
      }

      @Override
      public double number(String key) {
        return c.getDouble("model." + key);
      }

      @Override
      public IllegalArgumentException invalid(String key, String expected) {
        return c.invalid("model." + key, expected);
      }
    }, inputDim, numClasses);
  }

  public String name() {
    return name;
  }

  public Path dataRoot() {
    return dataRoot;
  }

  /** The model every job of this setting trains and attributes. */
  public ModelSpec spec() {
    return arch;
  }

  public TrainingRun trainingRun() {
    return trainingRun;
  }

  /** Number of independently trained models (for model.kind torchscript: of files). */
  public int models() {
    return models;
  }

  public long seed() {
    return seed;
  }

  public Dataset trainData() throws IOException {
    return rows(train);
  }

  public Dataset queryData() throws IOException {
    return rows(queries);
  }

  public Dataset validationData() throws IOException {
    return rows(validation);
  }

  /** Where the scored rows come from. */
  public RowSpec scoredSpec() {
    return scored;
  }

  /** The query rows' spec. */
  public RowSpec querySpec() {
    return queries;
  }

  /** The {@code device} option (resolved on each machine by {@link
   * dev.ascribe.core.model.ComputeDevice#resolve()}). */
  public dev.ascribe.core.model.ComputeDevice device() {
    return device;
  }

  /**
   * Scored rows per partition that {@code partitions = 0} stays under: featurize holds one
   * partition's input rows as Spark rows (boxed floats: an estimated 0.3 GB for 20,000 MNIST
   * rows), so memory per task does not grow with n (README "Scale").
   */
  public static final long ROWS_PER_PARTITION = 20_000;

  /**
   * Spark partitions of the scored rows: the {@code partitions} option, or for 0 twice the
   * default parallelism, raised to one per {@link #ROWS_PER_PARTITION} scored rows when there are
   * more (a Parquet table's rows are counted once).
   */
  public int partitions() {
    if (partitions > 0) {
      return partitions;
    }
    if (defaultPartitions == 0) {
      long n = scored.fromParquet()
          ? Tables.readInputRows(spark.get(), scored.path()).count() : scored.count();
      defaultPartitions = defaultPartitions(spark.get().sparkContext().defaultParallelism(), n);
    }
    return defaultPartitions;
  }

  /**
   * The partitions of {@code partitions = 0}: max(2 × parallelism, ⌈n / {@link
   * #ROWS_PER_PARTITION}⌉).
   */
  public static int defaultPartitions(int parallelism, long scoredRows) {
    long perRows = (scoredRows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(2L * parallelism, perRows));
  }

  /**
   * The scored rows as a Spark Dataset (input-rows schema): built-in rows are read by the
   * executors, range by range; Parquet rows are hash-partitioned by id.
   */
  public org.apache.spark.sql.Dataset<Row> scoredRows() {
    return sparkRows(scored);
  }

  /** The built-in dataset the record ranges index ({@code data.dataset}). */
  public BuiltInData dataset() {
    return dataset;
  }

  /** The training rows' spec. */
  public RowSpec trainSpec() {
    return train;
  }

  /**
   * The training rows as a Spark Dataset, partitioned as {@link #scoredRows()}: what curvature
   * fitted by passes over the training set (K-FAC) reads, whichever rows get scores.
   */
  public org.apache.spark.sql.Dataset<Row> trainRows() {
    return sparkRows(train);
  }

  private org.apache.spark.sql.Dataset<Row> sparkRows(RowSpec spec) {
    SparkSession session = spark.get();
    if (spec.fromParquet()) {
      return InputSources.parquet(session, spec.path(), partitions());
    }
    return InputSources.builtIn(session, dataRoot.toString(), spec.dataset(), spec.split(),
        spec.offset(),
        spec.count(), partitions());
  }

  /**
   * Checks every Parquet input table the options name (completeness and column types; for a model
   * over token ids, every row's length and ids by one Spark query), so a wrong table fails before
   * models are trained: a local table from its footer without starting Spark
   * ({@link ParquetSchemas}), a table on another file system through Spark's Hadoop settings.
   *
   * <p>With {@code partitioned} (an incremental run) the scored and query tables are not checked
   * here: they are read partition by partition ({@link #queryDataByPartitions}), and a partitioned
   * table has no {@code _SUCCESS} marker at its root.
   *
   * @throws dev.ascribe.udf.io.InvalidTableException naming the table and the column at fault
   */
  public void checkTables(boolean partitioned) {
    for (RowSpec spec : List.of(train, queries, validation, scored)) {
      if (!spec.fromParquet() || partitioned && (spec == scored || spec == queries)
          && spec != train) {
        continue;
      }
      String scheme = java.net.URI.create(spec.path()).getScheme();
      if (scheme == null || scheme.equals("file")) {
        ParquetSchemas.check(TableFormat.INPUT_ROWS, spec.path(),
            new org.apache.hadoop.conf.Configuration());
      } else {
        Tables.readInputRows(spark.get(), spec.path());
      }
      if (arch.tokenVocabulary() > 0) {
        checkTokens(Tables.readInputRows(spark.get(), spec.path()), spec.path());
      }
    }
  }

  /**
   * The query rows of an incremental run: a Parquet table is read from the data files of all its
   * partitions ({@link dev.ascribe.udf.io.InputPartitions}, as the run fingerprints them), which
   * need no {@code _SUCCESS} marker at the table's root; a built-in range as {@link #queryData()}.
   */
  public Dataset queryDataByPartitions() throws IOException {
    if (!queries.fromParquet()) {
      return queryData();
    }
    List<String> files = dev.ascribe.udf.io.InputPartitions.list(queries.path(),
        spark.get().sparkContext().hadoopConfiguration()).stream()
        .flatMap(p -> p.files().stream()).toList();
    return fromParquet(Tables.readInputFiles(spark.get(), queries.path(), files), queries.path());
  }

  /** For a model over token ids, every row of a Parquet table: its length and its ids. */
  private void checkTokens(org.apache.spark.sql.Dataset<Row> rows, String source) {
    TokenRows.check(rows, source, arch.inputDim(), arch.tokenVocabulary());
  }

  /** Input rows of a Parquet table on the driver, checked against the model's input. */
  private Dataset fromParquet(org.apache.spark.sql.Dataset<Row> rows, String source) {
    if (arch.tokenVocabulary() > 0) {
      checkTokens(rows, source);
    }
    Dataset out = Tables.toCoreDataset(rows, source, dataset.numClasses());
    dev.ascribe.udf.io.InputRows.requireWidth(out, source, arch);
    return out;
  }

  private Dataset rows(RowSpec spec) throws IOException {
    if (spec.fromParquet()) {
      return fromParquet(Tables.readInputRows(spark.get(), spec.path()), spec.path());
    }
    // Only the records asked for are decoded: the scored rows may be all 60,000 on Spark while the
    // driver keeps a small heap.
    return spec.dataset().loadRange(dataRoot, spec.split(), spec.offset(),
        spec.offset() + spec.count());
  }

}
