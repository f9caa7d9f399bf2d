/**
 * Starting Spark: {@link dev.ascribe.udf.spark.SparkSessions} makes the embedded session
 * ({@code local[n]}, bound to 127.0.0.1, no UI, no Hive, fixed shuffle partitions) or a cluster
 * session (master from the command line, or from spark-submit when it already set one), and
 * registers Spark's version for provenance.
 *
 * <p>Any JVM that runs Spark in-process needs Spark's module flags ({@code --add-opens} and
 * friends); the one list lives in the parent pom's {@code ascribe.jvm.flags}.
 */
package dev.ascribe.udf.spark;
