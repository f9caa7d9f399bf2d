/**
 * Attribution metrics over Spark tables (DESIGN.md, Metrics): {@link
 * dev.ascribe.udf.metric.LdsAggregation} computes core's {@link dev.ascribe.core.metric.Lds}
 * from a full-scores table and a ground-truth table, summing the M x m predictions per partition
 * so that the n x m score matrix is never collected.
 */
package dev.ascribe.udf.metric;
