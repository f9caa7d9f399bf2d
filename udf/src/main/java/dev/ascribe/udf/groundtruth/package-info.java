/**
 * LDS ground truth on Spark (DESIGN.md, Data flow step 4 and Metrics): {@link
 * dev.ascribe.udf.groundtruth.GroundTruthTasks} trains core's {@link
 * dev.ascribe.core.train.SubsetRetraining} models, one Spark task per model, and returns their
 * query outputs as rows of the ground-truth table.
 */
package dev.ascribe.udf.groundtruth;
