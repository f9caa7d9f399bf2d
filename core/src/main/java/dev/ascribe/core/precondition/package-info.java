/**
 * Preconditioners K⁻¹, step two of the template: the identity, the kernel (1/n) ΦᵀΦ + λI fitted
 * from training features (TRAK, IF-FIM, LoGra), and the Hessian (H + λI)⁻¹ applied by an
 * inverse-HVP solver ({@link dev.ascribe.core.precondition.InfluenceOptions} chooses which).
 */
package dev.ascribe.core.precondition;
