/**
 * Progress of long stages on stderr: {@link dev.ascribe.jobs.progress.ProgressReporter} (done of
 * total, rate, time left, throttled; no Spark) and {@link dev.ascribe.jobs.progress.SparkProgress}
 * (a driver-side Spark listener that counts the finished tasks of labelled jobs into it).
 */
package dev.ascribe.jobs.progress;
