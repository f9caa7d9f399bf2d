package dev.ascribe.core.precondition;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a method fits on the training set from blocks of it (Gram sums Σ φ φᵀ of feature blocks for
 * the kernel methods, {@link GramFit}; Kronecker factors of gradient passes for K-FAC, {@link
 * KroneckerFactorFit}), in a form that one partition can fit alone and that partitions merge
 * afterwards: the in-memory path fits one whole feature matrix, Spark fits each partition and
 * merges the partition fits on the driver ({@link #mergeInKeyOrder(List)}).
 *
 * <p>{@link #merge} must be associative (up to floating-point rounding, within DESIGN.md's
 * tolerance of another partitioning); the same fits merged in the same order give the same bits,
 * which is why the order is fixed by a key ({@link Keyed}) and never by task completion.
 *
 * <p>Implementations are mutable accumulators (one per task, not thread-safe) and {@link
 * Serializable}, so that a partition's fit can travel to the driver.
 *
 * @param <B> the blocks it accumulates
 * @param <F> the implementing type (merge takes its own kind)
 * @param <S> the fitted state {@link #finish()} returns (a {@link dev.ascribe.core.linalg.Kernel}
 *     for the Gram sums)
 */
public interface PartitionFit<B, F extends PartitionFit<B, F, S>, S> extends Serializable {
  /**
   * Adds one block of the training set (of one checkpoint).
   *
   * @return this fit
   */
  F accumulate(B block);

  /**
   * Adds another fit of disjoint training rows into this one; {@code other} may be reused by this
   * fit afterwards, so the caller must not use it again.
   *
   * @return this fit
   */
  F merge(F other);

  /** The fitted state of everything accumulated and merged so far. */
  S finish();

  /** Makes an empty fit for features of dimension k (one per checkpoint and partition). */
  @FunctionalInterface
  interface Factory<F> extends Serializable {
    F create(int k);
  }

  /**
   * A partition's fit with its merge key: the smallest example id the partition holds (so the
   * order does not depend on how Spark numbers partitions), then a sequence number that orders
   * partitions sharing a key (those that split one example's rows between them).
   */
  record Keyed<F>(long key, int sequence, F fit) implements Serializable {}

  /**
   * Merges partition fits in ascending (key, sequence) order: the first fit is taken as it is and
   * every later one is merged into it, so a rerun with the same partitioning gives bit-identical
   * state.
   *
   * @throws IllegalArgumentException when there is nothing to merge
   */
  static <F extends PartitionFit<?, F, ?>> F mergeInKeyOrder(List<Keyed<F>> fits) {
    if (fits.isEmpty()) {
      throw new IllegalArgumentException("no partition fit to merge: the training features have"
          + " no rows; expected at least one");
    }
    List<Keyed<F>> sorted = new ArrayList<>(fits);
    sorted.sort(Comparator.<Keyed<F>>comparingLong(Keyed::key)
        .thenComparingInt(Keyed::sequence));
    F total = sorted.get(0).fit();
    for (int i = 1; i < sorted.size(); i++) {
      total = total.merge(sorted.get(i).fit());
    }
    return total;
  }
}
