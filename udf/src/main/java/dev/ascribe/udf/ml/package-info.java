/**
 * Attribution as a Spark ML Estimator/Model pair, for library users who work with DataFrames:
 * {@link dev.ascribe.udf.ml.AttributionEstimator} fits on training rows with models trained by
 * {@code bin/ascribe train}; the {@link dev.ascribe.udf.ml.AttributionModel} it returns adds each
 * query's top proponents and opponents as columns.
 *
 * <pre>{@code
 * Dataset<Row> attributed = new AttributionEstimator()
 *     .setModelsDir("run/models").setModels(2).setProjectionDim(64)
 *     .fit(train)
 *     .transform(queries);   // + proponent_ids, proponent_scores, opponent_ids, opponent_scores
 * }</pre>
 *
 * <p>A thin adapter: the stages are {@link dev.ascribe.udf.attribute.SparkAttribution}'s, the
 * numbers core's. Params live in {@link dev.ascribe.udf.ml.AttributionParams} (validated by
 * Spark's {@code ParamValidators}, described by {@code explainParams()}). Neither stage is
 * {@code MLWritable}.
 */
package dev.ascribe.udf.ml;
