package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

/**
 * Column names of Ascribe's tables (DESIGN.md, Formats), for Spark jobs that build the columns
 * themselves; {@link TableFormat} holds the full schemas.
 */
public final class Columns {
  /** input rows: example id (0-based record index in the source, or the source's own id). */
  public static final String ID = "id";
  /** input rows: flattened features (images scaled to [0,1]). */
  public static final String FEATURES = "features";
  /** input rows and features: the class label. */
  public static final String LABEL = "label";
  /** features, scores: a training example's id. */
  public static final String EXAMPLE_ID = "example_id";
  /** features: which model (checkpoint) of an ensemble the row was computed with. */
  public static final String MODEL = "model";
  /** features: the projected gradient, length k. */
  public static final String PHI = "phi";
  /** features: TRAK's {@code 1 - p} (probability of the correct class). */
  public static final String Q = "q";
  /** scores, groundtruth: a query's id. */
  public static final String QUERY_ID = "query_id";
  /** top-K scores: 1 = strongest proponent or opponent of the query. */
  public static final String RANK = "rank";
  /** top-K scores: the attribution score. */
  public static final String SCORE = "score";
  /** top-K scores: {@code proponent} or {@code opponent} ({@link TopK.Kind}). */
  public static final String KIND = "kind";
  /** full scores: one score per query, in the order of {@code _queries.json}. */
  public static final String SCORES = "scores";
  /** groundtruth: which retrained model. */
  public static final String MODEL_ID = "model_id";
  /** groundtruth: the training example ids the model was trained on. */
  public static final String SUBSET = "subset";
  /** groundtruth: log p_y of the query under the model. */
  public static final String LOGP = "logp";
  /** groundtruth: the query's margin under the model. */
  public static final String MARGIN = "margin";

  /** LOO groundtruth: the training example left out of the model. */
  public static final String REMOVED_ID = "removed_id";
  /** LOO groundtruth: log p_y of the query under the full model. */
  public static final String FULL_LOGP = "full_logp";
  /** LOO groundtruth: the query's margin under the full model. */
  public static final String FULL_MARGIN = "full_margin";

  private Columns() {}

  /** Self-influence of a training example (double). */
  public static final String SELF_INFLUENCE = "self_influence";
}
