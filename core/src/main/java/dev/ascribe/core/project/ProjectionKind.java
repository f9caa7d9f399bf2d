package dev.ascribe.core.project;

/**
 * The distribution of the entries of a dense random projection. Every kind is scaled by {@code
 * 1/sqrt(k)} so that {@code E ||P g||^2 = ||g||^2} (Johnson–Lindenstrauss; Achlioptas 2003 for the
 * Rademacher case).
 *
 * <p>The generator behind each kind is defined in {@link CounterRandom}. Sparse (SJLT) and
 * Kronecker (LoGra) projections are not dense matrices of i.i.d. entries; they will be added as
 * further constants with their own {@link Projector} implementation, so callers that switch on this
 * enum must keep a default branch that rejects unknown kinds.
 */
public enum ProjectionKind {
  /** Entries are independent standard normals (Box–Muller) times {@code 1/sqrt(k)}. */
  GAUSSIAN,
  /** Entries are independent fair signs {@code ±1/sqrt(k)}; cheaper to generate than Gaussian. */
  RADEMACHER
}
