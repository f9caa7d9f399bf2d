package dev.ascribe.core.precondition;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.GramAccumulator;
import dev.ascribe.core.linalg.Kernel;

/**
 * The kernel methods' {@link PartitionFit}: the Gram sum G = Σ φ φᵀ and the row count n of one
 * checkpoint's training features ({@link GramAccumulator}), finished into the kernel F = G/n. Each
 * block adds Φ_bᵀ Φ_b by BLAS, so the same blocks in the same order give the same bits.
 */
public final class GramFit implements PartitionFit<FeatureMatrix, GramFit, Kernel> {
  private static final long serialVersionUID = 1L;

  private final GramAccumulator gram;

  /** @param k the feature dimension, >= 1 */
  public GramFit(int k) {
    this.gram = new GramAccumulator(k);
  }

  @Override
  public GramFit accumulate(FeatureMatrix block) {
    gram.add(block.phi());
    return this;
  }

  @Override
  public GramFit merge(GramFit other) {
    gram.merge(other.gram);
    return this;
  }

  /** The kernel F = G/n of the rows seen. */
  @Override
  public Kernel finish() {
    return Kernel.of(gram);
  }

  /** The Gram sum so far (for tests and provenance; not a copy). */
  GramAccumulator gram() {
    return gram;
  }

  @Override
  public String toString() {
    return "GramFit[" + gram + "]";
  }
}
