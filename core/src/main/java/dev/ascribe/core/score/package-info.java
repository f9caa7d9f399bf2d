/**
 * Scores, step three of the template: per-checkpoint inner products summed into score rows
 * ({@link dev.ascribe.core.score.PartialScores}, mergeable across partitions), the n x m
 * {@link dev.ascribe.core.score.ScoreMatrix} (rows = training examples, columns = queries) and
 * top-K selections with their deterministic tie-breaking.
 */
package dev.ascribe.core.score;
