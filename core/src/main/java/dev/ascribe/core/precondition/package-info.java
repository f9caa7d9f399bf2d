/**
 * Preconditioners K⁻¹, step two of the template: the identity, the kernel (1/n) ΦᵀΦ + λI fitted
 * from training features (TRAK, IF-FIM, LoGra), and the Hessian (H + λI)⁻¹ applied by an
 * inverse-HVP solver ({@link dev.ascribe.core.precondition.InfluenceOptions} chooses which); {@link
 * dev.ascribe.core.precondition.PreconditionerSource} names the three. What a method fits on the
 * training set follows one mergeable protocol, {@link dev.ascribe.core.precondition.PartitionFit}
 * (Gram sums: {@link dev.ascribe.core.precondition.GramFit}; per checkpoint: {@link
 * dev.ascribe.core.precondition.ModelFits}), shared by the in-memory path and Spark.
 */
package dev.ascribe.core.precondition;
