package dev.ascribe.udf.metric;

import dev.ascribe.udf.io.InvalidTableException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Which ground-truth subsets hold each training example, compact enough to broadcast: the sorted
 * distinct example ids of all subsets, and for each of them the positions j (ascending) of the
 * subsets S_j holding it, in compressed rows. Memory: one long per distinct id and one int per
 * (subset, member) pair (50 half subsets of 5,000 rows: 40 KB + 500 KB).
 */
final class SubsetMembership implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] ids;
  private final int[] start;
  private final int[] models;
  private final int[] sizes;

  private SubsetMembership(long[] ids, int[] start, int[] models, int[] sizes) {
    this.ids = ids;
    this.start = start;
    this.models = models;
    this.sizes = sizes;
  }

  /**
   * Indexes the subsets.
   *
   * @param subsets training example ids of each subset, {@code [subset][]}, any order
   * @param modelIds the model id of each subset (for messages)
   * @param path the ground-truth table (for messages)
   * @throws InvalidTableException if a subset names an example twice
   */
  static SubsetMembership of(long[][] subsets, int[] modelIds, String path) {
    int total = 0;
    int[] sizes = new int[subsets.length];
    for (int j = 0; j < subsets.length; j++) {
      sizes[j] = subsets[j].length;
      total += sizes[j];
      long[] sorted = subsets[j].clone();
      Arrays.sort(sorted);
      for (int s = 1; s < sorted.length; s++) {
        if (sorted[s] == sorted[s - 1]) {
          throw new InvalidTableException(path, "the subset of model_id=" + modelIds[j]
              + " holds example " + sorted[s] + " twice: expected distinct training example"
              + " ids; rerun groundtruth");
        }
      }
    }
    long[] all = new long[total];
    int fill = 0;
    for (long[] subset : subsets) {
      System.arraycopy(subset, 0, all, fill, subset.length);
      fill += subset.length;
    }
    Arrays.sort(all);
    long[] ids = distinct(all);
    int[] start = new int[ids.length + 1];
    for (long[] subset : subsets) {
      for (long id : subset) {
        start[Arrays.binarySearch(ids, id) + 1]++;
      }
    }
    for (int u = 0; u < ids.length; u++) {
      start[u + 1] += start[u];
    }
    int[] models = new int[total];
    int[] next = Arrays.copyOf(start, ids.length);
    // Subsets in ascending j, so each id's subsets come out ascending.
    for (int j = 0; j < subsets.length; j++) {
      for (long id : subsets[j]) {
        models[next[Arrays.binarySearch(ids, id)]++] = j;
      }
    }
    return new SubsetMembership(ids, start, models, sizes);
  }

  private static long[] distinct(long[] sorted) {
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[k++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, k);
  }

  /** Number of subsets M. */
  int numSubsets() {
    return sizes.length;
  }

  /** |S_j|. */
  int size(int j) {
    return sizes[j];
  }

  /** The index u of {@code exampleId} among the members, or a negative value for none. */
  int indexOf(long exampleId) {
    return Arrays.binarySearch(ids, exampleId);
  }

  /** The subsets holding member u are {@code subsetAt(p)} for p in [from(u), to(u)). */
  int from(int u) {
    return start[u];
  }

  /** See {@link #from}. */
  int to(int u) {
    return start[u + 1];
  }

  /** The subset position j stored at p. */
  int subsetAt(int p) {
    return models[p];
  }
}
