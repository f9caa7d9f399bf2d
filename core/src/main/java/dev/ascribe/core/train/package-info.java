/**
 * Training: SGD with momentum or Adam ({@link dev.ascribe.core.train.Optimizer}) over any model,
 * deterministic and safe to run in many threads; subset and leave-one-out retraining for ground
 * truth; and {@link dev.ascribe.core.train.ImportedModels}, which puts imported TorchScript
 * checkpoints into a run's model store in place of training.
 */
package dev.ascribe.core.train;
