package dev.ascribe.udf.ml;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.score.TopK;
import dev.ascribe.udf.attribute.SparkAttribution;
import dev.ascribe.udf.attribute.TrainingBlocks;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A fitted {@link AttributionEstimator}: the training features and preconditioners of each model.
 * {@link #transform} adds to every query its strongest proponents (largest positive scores, the
 * training examples that helped it most) and opponents (most negative scores), strongest first.
 * Scores are TRAK's or Grad-Dot's (see the estimator for the papers); conceptually a matrix with
 * rows = training examples and columns = queries, positive = helpful. Only the top-K of each
 * column leaves the cluster.
 *
 * <p>The params are the estimator's, copied at fit; only the query-side ones (idCol, featuresCol,
 * labelCol, topK) have setters here, the others describe what was fitted. Not {@code
 * MLWritable}, and not serializable: the fitted state holds a persisted Dataset and broadcasts of
 * the session that fitted it.
 */
public final class AttributionModel extends Model<AttributionModel> implements AttributionParams {
  private static final long serialVersionUID = 1L;

  /** Output column: ids of the strongest proponents, array&lt;bigint&gt;, strongest first. */
  public static final String PROPONENT_IDS = "proponent_ids";
  /** Output column: their scores, array&lt;double&gt;, descending (all positive). */
  public static final String PROPONENT_SCORES = "proponent_scores";
  /** Output column: ids of the strongest opponents, array&lt;bigint&gt;, strongest first. */
  public static final String OPPONENT_IDS = "opponent_ids";
  /** Output column: their scores, array&lt;double&gt;, ascending (all negative). */
  public static final String OPPONENT_SCORES = "opponent_scores";

  /** What fitting computed; queries are scored against it. */
  record Fitted(SparkAttribution attribution, Dataset<Row> features, long numTrain,
      List<Preconditioner> preconditioners, MethodSpec spec, List<Checkpoint> checkpoints) {}

  private final String uid;
  private final ParamSet paramSet;

  /** The params, found by Spark's Params through the interface's public accessors. */
  @Override
  public ParamSet paramSet() {
    return paramSet;
  }

  private final transient Fitted fitted;

  AttributionModel(String uid, Fitted fitted) {
    this.uid = uid;
    this.fitted = fitted;
    this.paramSet = new ParamSet(this);
    paramSet.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Id column (bigint, unique) of the queries. */
  public AttributionModel setIdCol(String value) {
    set(paramSet.idCol, value);
    return this;
  }

  /** Features column (array&lt;float&gt;) of the queries. */
  public AttributionModel setFeaturesCol(String value) {
    set(paramSet.featuresCol, value);
    return this;
  }

  /** Label column (int) of the queries: the class whose margin or loss is attributed. */
  public AttributionModel setLabelCol(String value) {
    set(paramSet.labelCol, value);
    return this;
  }

  /** Proponents and opponents kept per query (>= 1). */
  public AttributionModel setTopK(int value) {
    set(paramSet.topK, value);
    return this;
  }

  /**
   * The training features (features schema: example_id, model, label, phi, q), one row per
   * training example and model; persisted at fit, {@code unpersist()} it when done.
   */
  public Dataset<Row> features() {
    return fitted.features();
  }

  /** Number of training examples fitted. */
  public long numTrain() {
    return fitted.numTrain();
  }

  /** K_c⁻¹ per model (TRAK: ((1/n) Φ_cᵀΦ_c + λI)⁻¹; Grad-Dot: identity). */
  public List<Preconditioner> preconditioners() {
    return fitted.preconditioners();
  }

  /** The checkpoints fitted with: the final epoch of each model. */
  public List<Checkpoint> checkpoints() {
    return fitted.checkpoints();
  }

  /** The method and options fitted with. */
  @Override
  public MethodSpec methodSpec() {
    return fitted.spec();
  }

  /**
   * The queries with four columns added: {@link #PROPONENT_IDS}, {@link #PROPONENT_SCORES},
   * {@link #OPPONENT_IDS}, {@link #OPPONENT_SCORES}, each with at most topK entries, strongest
   * first (ties by example id ascending); a query with no positive (negative) score gets empty
   * proponent (opponent) arrays. Other columns and the row count are kept. Eager: the queries are
   * featurized and scored now (their features are collected to the driver: m x k per model).
   *
   * @param queries rows with idCol bigint (unique), featuresCol array&lt;float&gt;, labelCol int
   * @throws IllegalArgumentException for a bad schema or repeated query ids
   */
  @Override
  public Dataset<Row> transform(Dataset<?> queries) {
    transformSchema(queries.schema(), true);
    SparkAttribution attribution = fitted.attribution();
    Dataset<Row> queryFeatures = attribution.featurize(InputSchema.inputRows(queries, this), true,
        "queries").persist(StorageLevel.MEMORY_AND_DISK());
    TopK[][] top;
    long[] queryIds;
    try {
      if (queryFeatures.count() == 0) {
        queryIds = new long[0];
        top = new TopK[0][];
      } else {
        List<FeatureMatrix> features = attribution.collectQueryFeatures(queryFeatures);
        queryIds = features.get(0).ids();
        TopKColumns.requireUnique(queryIds, getIdCol());
        try (TrainingBlocks blocks = attribution.decode(fitted.features())) {
          Dataset<Row> scores = attribution.score(blocks, features, fitted.preconditioners());
          top = SparkAttribution.topK(scores, queryIds.length, getTopK());
          scores.unpersist();
        }
      }
    } finally {
      queryFeatures.unpersist();
    }
    Dataset<Row> table = TopKColumns.table(queries.sparkSession(), queryIds, top);
    Dataset<Row> in = queries.toDF();
    return in.join(functions.broadcast(table),
            in.col(getIdCol()).equalTo(table.col(TopKColumns.KEY)), "left_outer")
        .drop(table.col(TopKColumns.KEY));
  }

  /**
   * Checks the input columns (see {@link AttributionParams}) and adds the four output columns.
   *
   * @throws IllegalArgumentException for a missing or mistyped input column, or an output column
   *     that already exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    InputSchema.check("AttributionModel", this, schema);
    return TopKColumns.appendTo(schema);
  }

  @Override
  public AttributionModel copy(ParamMap extra) {
    return copyValues(new AttributionModel(uid, fitted), extra).setParent(parent());
  }














}
