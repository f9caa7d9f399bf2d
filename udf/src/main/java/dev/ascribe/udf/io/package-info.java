/**
 * Ascribe's Parquet tables (DESIGN.md, Formats): input rows, features, top-K and full scores,
 * ground truth.
 *
 * <ul>
 *   <li>{@link dev.ascribe.udf.io.TableFormat} and {@link dev.ascribe.udf.io.Columns}: the one
 *       place the schemas and sort keys are defined; Spark jobs produce exactly these.
 *   <li>{@link dev.ascribe.udf.io.ParquetTables}: safe writes (through Spark's committer, never
 *       over a complete table unless asked, sorted by key) and checked reads ({@code _SUCCESS}
 *       marker, schema, readable files).
 *   <li>{@link dev.ascribe.udf.io.Tables}: each table to and from plain Java arrays ({@link
 *       dev.ascribe.udf.io.Features}, {@link dev.ascribe.udf.io.TopKScores}, {@link
 *       dev.ascribe.udf.io.FullScores}, {@link dev.ascribe.udf.io.GroundTruth}, and core's
 *       {@link dev.ascribe.core.data.Dataset} for input rows).
 *   <li>{@link dev.ascribe.udf.io.InputPartitions}: the partitions of a partitioned input table
 *       (e.g. {@code day=2026-12-01/}) on any Hadoop file system, each with a fingerprint, for
 *       incremental runs.
 *   <li>{@link dev.ascribe.udf.io.HadoopFolder}: core's {@link dev.ascribe.core.storage.Folder}
 *       on any Hadoop file system, so a run folder (models, stage records, kernels) can be on
 *       HDFS; {@link dev.ascribe.udf.io.Folders} maps an address (path, {@code file:} or other
 *       URI) to a local or a Hadoop folder.
 * </ul>
 *
 * <p>A full-scores table keeps its query order in {@code _queries.json} inside the table folder
 * ({@code scores[j]} belongs to {@code query_ids[j]}). Every problem with a table is an {@link
 * dev.ascribe.udf.io.InvalidTableException} whose message starts with the table's path and names
 * the column, the value or type found, and what was expected.
 */
package dev.ascribe.udf.io;
