/**
 * What is being explained (dattri's task): the checkpoints, the training loss and the query-side
 * measurement ({@link dev.ascribe.core.task.ModelOutput}: cross-entropy, margin, -loss), with the
 * sign convention that makes every score a helpfulness.
 */
package dev.ascribe.core.task;
