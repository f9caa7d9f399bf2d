/**
 * Projections that compress per-example gradients before they are stored or multiplied: a k x d
 * matrix P maps a gradient g (length d) to P g (length k), and a batch G (B x d, one gradient per
 * row) to G P^T (B x k). TRAK, TracIn and IF-FIM use them on whole gradients, LoGra on each side of
 * a layer's Kronecker factors (DESIGN.md, Mathematics).
 *
 * <ul>
 *   <li>{@link dev.ascribe.core.project.Projection}: what every kind is (dimensions, reference
 *       entries, provenance, sessions); {@link dev.ascribe.core.project.Projection#of} builds one
 *       from options and d.
 *   <li>{@link dev.ascribe.core.project.ProjectionOptions}: what to build (k, kind, seed, block
 *       size, cache budget); {@link dev.ascribe.core.project.ProjectionKind}: the kinds, each
 *       registered with its implementation in that one enum, and their option names.
 *   <li>{@link dev.ascribe.core.project.DenseProjection}: Gaussian or Rademacher i.i.d. entries
 *       (stored layout and its format version), applied by a dense projector with libtorch matMul
 *       per column block.
 *   <li>{@link dev.ascribe.core.project.CounterRandom}: the stateless counter-based generator;
 *       every value is a pure function of (seed, block, counter), so every executor regenerates the
 *       same matrix without shipping it.
 *   <li>{@link dev.ascribe.core.project.Projector}: a session that applies P to DJL batches,
 *       keeping what it generated in its own native memory until closed.
 * </ul>
 *
 * <p>Results are deterministic: a dense matrix's blocks are generated identically in any order and
 * any process, and a batch is projected as a sum over column blocks in ascending order.
 *
 * <p>A new kind (sparse SJLT, factorized) is one class implementing {@code Projection} with its
 * {@code Projector}, plus one constant in {@code ProjectionKind} naming its constructor.
 */
package dev.ascribe.core.project;
