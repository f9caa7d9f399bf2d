package dev.ascribe.udf.ml;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.method.StoredCheckpoints;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Data attribution as a Spark ML {@link Estimator}: {@link #fit} featurizes the training rows with
 * trained models and builds each model's preconditioner; the {@link AttributionModel} it returns
 * scores queries against them. A thin adapter over {@link SparkAttribution} (the stages of {@code
 * bin/ascribe attribute}), so the numbers are the in-memory API's.
 *
 * <pre>{@code
 * AttributionModel model = new AttributionEstimator()
 *     .setModelsDir("run/models").setModels(2).setProjectionDim(64)
 *     .fit(train);                 // train: id bigint, features array<float>, label int
 * Dataset<Row> attributed = model.transform(queries);
 * }</pre>
 *
 * <p>Methods: every one of {@link MethodSpec#METHODS}, as {@code bin/ascribe attribute} runs them
 * (README, "Methods"), with their default options: {@code trak} (Park et al., ICML 2023, in
 * DESIGN.md's form), {@code grad-dot}, {@code grad-cos}, {@code tracin} (every checkpoint the
 * models' training listed, each weighted by the recorded learning rate / models), {@code if-fim},
 * the Hessian influence functions {@code if-explicit}, {@code if-cg}, {@code if-lissa}, {@code
 * if-arnoldi}, {@code rps} (each last layer refitted on the training rows) and {@code logra}. RPS
 * and the Hessian methods collect the training rows to the driver, where the refit and the
 * Hessian-vector products run, as the command does. Scores τ(query, example) form a matrix with
 * rows = training examples and columns = queries; positive = helpful (removing the example would
 * lower the query's target).
 *
 * <p>Params: see {@link AttributionParams} and {@link #explainParams()}. Invalid values are
 * rejected when set, by Spark's param validators. Not {@code MLWritable}: neither stage can be
 * saved; fit again instead (the trained models stay in {@code modelsDir}).
 */
public final class AttributionEstimator extends Estimator<AttributionModel>
    implements AttributionParams {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamSet paramSet;

  /** The params, found by Spark's Params through the interface's public accessors. */
  @Override
  public ParamSet paramSet() {
    return paramSet;
  }

  /** An estimator with a random uid ("ascribe_...") and every param at its default. */
  public AttributionEstimator() {
    this(Identifiable.randomUID("ascribe"));
  }

  /** An estimator with the given uid (Spark's {@code defaultCopy} calls this). */
  public AttributionEstimator(String uid) {
    this.uid = uid;
    this.paramSet = new ParamSet(this);
    paramSet.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** One of the method registry's names (default trak). */
  public AttributionEstimator setMethod(String value) {
    set(paramSet.method, value);
    return this;
  }

  /** "margin" (default) or "neg-loss". */
  public AttributionEstimator setTarget(String value) {
    set(paramSet.target, value);
    return this;
  }

  /** k; default 512, must be >= 1. */
  public AttributionEstimator setProjectionDim(int value) {
    set(paramSet.projectionDim, value);
    return this;
  }

  /** "gaussian" (default), "rademacher", "sjlt" or "factorized". */
  public AttributionEstimator setProjectionKind(String value) {
    set(paramSet.projectionKind, value);
    return this;
  }

  /** Default 0. */
  public AttributionEstimator setProjectionSeed(long value) {
    set(paramSet.projectionSeed, value);
    return this;
  }

  /** sjlt only: buckets per coordinate; default 1. */
  public AttributionEstimator setProjectionSparsity(int value) {
    set(paramSet.projectionSparsity, value);
    return this;
  }

  /**
   * factorized only: k_out of P_out δ per linear layer, "16" for every layer or "16,8,10" one per
   * layer (0 keeps the side whole); default "auto", the rule from projectionDim.
   */
  public AttributionEstimator setProjectionOut(String value) {
    set(paramSet.projectionOut, value);
    return this;
  }

  /** factorized only: k_in of P_in ã per linear layer, written like setProjectionOut. */
  public AttributionEstimator setProjectionIn(String value) {
    set(paramSet.projectionIn, value);
    return this;
  }

  /** "0" (default), an absolute value such as "1e-3", or a multiple such as "0.3x". */
  public AttributionEstimator setLambda(String value) {
    set(paramSet.lambda, value);
    return this;
  }

  /** Default 128. */
  public AttributionEstimator setBatchSize(int value) {
    set(paramSet.batchSize, value);
    return this;
  }

  /** Default 10; copied to the model, which may change it. */
  public AttributionEstimator setTopK(int value) {
    set(paramSet.topK, value);
    return this;
  }

  /** Default "id"; copied to the model, which may change it. */
  public AttributionEstimator setIdCol(String value) {
    set(paramSet.idCol, value);
    return this;
  }

  /** Default "features"; copied to the model, which may change it. */
  public AttributionEstimator setFeaturesCol(String value) {
    set(paramSet.featuresCol, value);
    return this;
  }

  /** Default "label"; copied to the model, which may change it. */
  public AttributionEstimator setLabelCol(String value) {
    set(paramSet.labelCol, value);
    return this;
  }

  /** Required: a run folder's models/ directory. */
  public AttributionEstimator setModelsDir(String value) {
    set(paramSet.modelsDir, value);
    return this;
  }

  /** Default 1. */
  public AttributionEstimator setModels(int value) {
    set(paramSet.models, value);
    return this;
  }

  /** Default 10. */
  public AttributionEstimator setNumClasses(int value) {
    set(paramSet.numClasses, value);
    return this;
  }

  /**
   * Featurizes {@code train} with the method's checkpoints of models m0 .. m{models-1} of
   * {@code modelsDir} ({@link StoredCheckpoints}; RPS refits them first) and builds each model's
   * preconditioner (TRAK: ((1/n) ΦᵀΦ + λI)⁻¹, the Hessian methods: (H + λI)⁻¹, Grad-Dot: the
   * identity). The features stay persisted (memory and disk) for the model's transforms; {@link
   * AttributionModel#features()}{@code .unpersist()} releases them.
   *
   * @param train rows with idCol bigint (unique), featuresCol array&lt;float&gt;, labelCol int
   * @throws IllegalArgumentException for a bad schema, an unset modelsDir, or missing models
   * @throws UncheckedIOException if a stored model cannot be read
   */
  @Override
  public AttributionModel fit(Dataset<?> train) {
    transformSchema(train.schema(), true);
    if (getModelsDir() == null) {
      throw new IllegalArgumentException("AttributionEstimator: param modelsDir is not set:"
          + " expected a run folder's models/ directory written by bin/ascribe train"
          + " (setModelsDir)");
    }
    MethodSpec spec = methodSpec();
    ModelStore store = new ModelStore(Path.of(getModelsDir()));
    List<Checkpoint> checkpoints;
    try {
      checkpoints = StoredCheckpoints.select(spec, store, loadRecords(store)).checkpoints();
    } catch (IOException e) {
      throw new UncheckedIOException("AttributionEstimator: cannot read the models in "
          + store.dir() + ": " + e.getMessage(), e);
    }
    Dataset<Row> inputRows = InputSchema.inputRows(train, this);
    // RPS refits, and the Hessian methods take curvature products, on the driver's copy.
    dev.ascribe.core.data.Dataset onDriver = spec.needsTrainingRowsOnDriver()
        ? Tables.toCoreDataset(inputRows, "the training Dataset", getNumClasses()) : null;
    checkpoints = spec.prepare(checkpoints, onDriver, IndexedTasks.defaultThreads());
    SparkAttribution attribution =
        new SparkAttribution(train.sparkSession(), spec, checkpoints, getNumClasses());
    Dataset<Row> features = attribution.featurize(inputRows, false, "train")
        .persist(StorageLevel.MEMORY_AND_DISK());
    long rows;
    List<Preconditioner> preconditioners;
    try {
      rows = features.count();
      if (rows == 0) {
        throw new IllegalArgumentException("AttributionEstimator: the training Dataset has no"
            + " rows: expected at least one example");
      }
      try (TrainingBlocks blocks = attribution.decode(features)) {
        preconditioners = attribution.preconditioners(blocks,
            new SparkAttribution.TrainingRows(inputRows, "the training Dataset"), onDriver);
      }
    } catch (RuntimeException e) {
      features.unpersist();
      throw e;
    }
    AttributionModel model = new AttributionModel(uid, new AttributionModel.Fitted(attribution,
        features, rows / checkpoints.size(), preconditioners, spec, checkpoints));
    // Explicit values stay explicit and defaults stay defaults (explainParams shows which).
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  private List<ModelStore.ModelRecord> loadRecords(ModelStore store) throws IOException {
    List<ModelStore.ModelRecord> out = new ArrayList<>();
    for (int i = 0; i < getModels(); i++) {
      ModelStore.ModelRecord record = store.readDescription(i);
      if (record == null) {
        throw new IllegalArgumentException("AttributionEstimator: modelsDir " + store.dir()
            + " has no completely trained model m" + i + " (no m" + i + "/model.json) but"
            + " models is " + getModels() + ": train them with bin/ascribe train, or lower"
            + " models");
      }
      int classes = record.spec().numClasses();
      if (classes != getNumClasses()) {
        throw new IllegalArgumentException("AttributionEstimator: model m" + i + " predicts "
            + classes + " classes but numClasses is " + getNumClasses()
            + ": set numClasses to " + classes);
      }
      out.add(record);
    }
    return out;
  }

  /** Checks the input columns (see {@link AttributionParams}); fitting adds none. */
  @Override
  public StructType transformSchema(StructType schema) {
    InputSchema.check("AttributionEstimator", this, schema);
    return schema;
  }

  @Override
  public AttributionEstimator copy(ParamMap extra) {
    return defaultCopy(extra);
  }















}
