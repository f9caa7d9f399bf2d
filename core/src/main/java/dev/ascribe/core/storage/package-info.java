/**
 * Where core's stores keep their files: {@link dev.ascribe.core.storage.Folder}, the few file
 * operations the model store and the provenance records need (read, atomic write, exists, list),
 * so that a run folder can live on the local disk ({@link dev.ascribe.core.storage.LocalFolder})
 * or on any Hadoop file system (udf's {@code HadoopFolder}) without core importing Hadoop.
 */
package dev.ascribe.core.storage;
