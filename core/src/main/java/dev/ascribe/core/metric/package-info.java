/**
 * Metrics of attribution quality (DESIGN.md, Metrics), pure Java on plain arrays and in-memory
 * datasets (no DJL):
 *
 * <ul>
 *   <li>{@link dev.ascribe.core.metric.Lds}: Linear Datamodeling Score against models retrained
 *       on seeded subsets, which {@link dev.ascribe.core.metric.Subsets} draws reproducibly;
 *   <li>{@link dev.ascribe.core.metric.LooCorrelation}: correlation with leave-one-out retraining,
 *       whose outputs {@link dev.ascribe.core.metric.LooGroundTruth} holds (matched to scores by
 *       id; the train package's LooRetraining computes it);
 *   <li>{@link dev.ascribe.core.metric.NoisyLabelAuc} and {@link dev.ascribe.core.metric.RocAuc}:
 *       noisy-label detection by self-influence, on labels {@link
 *       dev.ascribe.core.metric.LabelFlip} corrupts;
 *   <li>{@link dev.ascribe.core.metric.Correlations} and {@link
 *       dev.ascribe.core.metric.SummaryStat}: the rank/linear correlations and the NaN-skipping
 *       mean ± standard error they report.
 * </ul>
 *
 * <p>Score matrices are always rows = training examples, columns = queries ({@code
 * [train][query]}), positive = helpful; ground truth is {@code [subset][query]} or {@code
 * [removed][query]}.
 */
package dev.ascribe.core.metric;
