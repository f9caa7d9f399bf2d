/**
 * Dense linear algebra of the kernel step (DESIGN.md, Data flow step 2): the Gram sum Φᵀ Φ of a
 * model's features ({@link dev.ascribe.core.linalg.GramAccumulator}, mergeable across partitions),
 * the mean-scale kernel F = G/n and its spectrum ({@link dev.ascribe.core.linalg.Kernel}, {@link
 * dev.ascribe.core.linalg.EigenBasis}), the factored preconditioner (F + λI)⁻¹ with its file format
 * ({@link dev.ascribe.core.linalg.Factorized}), and the command-line forms of λ ({@link
 * dev.ascribe.core.linalg.LambdaSpec}). Products with n rows run on libtorch through DJL; k x k
 * factorizations run on LAPACK ({@link dev.ascribe.core.linalg.Lapack}) and per-query triangular
 * solves on EJML, all in float64.
 */
package dev.ascribe.core.linalg;
