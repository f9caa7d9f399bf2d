/**
 * Random projections that compress per-example gradients before they are stored or multiplied: a k
 * x d matrix P maps a gradient g (length d) to P g (length k), and a batch G (B x d, one gradient
 * per row) to G P^T (B x k). TRAK, TracIn and IF-FIM use them (DESIGN.md, Mathematics).
 *
 * <ul>
 *   <li>{@link dev.ascribe.core.project.CounterRandom}: the stateless counter-based generator;
 *       every value is a pure function of (seed, block, counter), so every executor regenerates the
 *       same matrix without shipping it.
 *   <li>{@link dev.ascribe.core.project.ProjectionOptions} and {@link
 *       dev.ascribe.core.project.ProjectionKind}: what to build (k, distribution, seed, block size,
 *       cache budget).
 *   <li>{@link dev.ascribe.core.project.RandomProjection}: the immutable matrix definition (stored
 *       layout and its format version), block generation, and sessions.
 *   <li>{@link dev.ascribe.core.project.Projector}: a session that applies P to DJL batches with
 *       libtorch matMul, caching generated blocks in its own native memory until closed.
 * </ul>
 *
 * <p>Results are deterministic: blocks are generated identically in any order and any process, and
 * a batch is projected as a sum over column blocks in ascending order. Sparse (SJLT) and Kronecker
 * (LoGra) projections belong here too and will implement {@code Projector}.
 */
package dev.ascribe.core.project;
