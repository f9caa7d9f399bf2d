/**
 * Inverse Hessian-vector products (H + λI)⁻¹ v from curvature products: the explicit inverse,
 * conjugate gradients, LiSSA and Arnoldi, all behind {@link dev.ascribe.core.ihvp.InverseHvp}.
 */
package dev.ascribe.core.ihvp;
