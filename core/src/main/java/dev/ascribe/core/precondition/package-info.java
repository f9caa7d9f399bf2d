/**
 * Preconditioners K⁻¹, step two of the template: the identity, the kernel (1/n) ΦᵀΦ + λI fitted
 * from training features (TRAK, IF-FIM, LoGra), the Hessian (H + λI)⁻¹ applied by an inverse-HVP
 * solver ({@link dev.ascribe.core.precondition.InfluenceOptions} chooses which), and the
 * Kronecker-factored curvature of K-FAC and EK-FAC ({@link
 * dev.ascribe.core.precondition.KfacPreconditioner}); {@link
 * dev.ascribe.core.precondition.PreconditionerSource} names the four. What a method fits on the
 * training set follows one mergeable protocol, {@link dev.ascribe.core.precondition.PartitionFit}
 * (Gram sums of feature blocks: {@link dev.ascribe.core.precondition.GramFit}, per checkpoint
 * {@link dev.ascribe.core.precondition.ModelFits}; Kronecker factors of backward passes: {@link
 * dev.ascribe.core.precondition.KroneckerFactorFit} and {@link
 * dev.ascribe.core.precondition.EigenCorrectionFit}), shared by the in-memory path and Spark.
 */
package dev.ascribe.core.precondition;
