package dev.ascribe.core.feature;

/**
 * Projected per-example gradients of one checkpoint for a set of examples (DESIGN.md's features
 * table): row i is φ_i (length k) of example {@code ids[i]}, with TRAK's q_i = 1 - p(y_i | x_i).
 *
 * @param model index of the checkpoint the features come from
 * @param ids example ids, length n
 * @param labels labels, length n
 * @param phi features, row-major n x k (rows = examples)
 * @param q 1 - p(y_i | x_i) under the checkpoint, length n
 * @param k feature dimension
 */
public record FeatureMatrix(int model, long[] ids, int[] labels, float[] phi, float[] q, int k)
    implements java.io.Serializable {
  public FeatureMatrix {
    if (phi.length != (long) ids.length * k || labels.length != ids.length
        || q.length != ids.length) {
      throw new IllegalArgumentException("feature matrix of model " + model + ": " + ids.length
          + " ids, " + labels.length + " labels, " + q.length + " q values and " + phi.length
          + " feature values do not agree with k = " + k);
    }
  }

  public int size() {
    return ids.length;
  }

  /** Scales every row to unit length in place (Grad-Cos); zero rows stay zero. */
  public void normalizeRows() {
    for (int off = 0; off < phi.length; off += k) {
      double norm = 0;
      for (int j = 0; j < k; j++) {
        norm += (double) phi[off + j] * phi[off + j];
      }
      if (norm > 0) {
        float inv = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < k; j++) {
          phi[off + j] *= inv;
        }
      }
    }
  }

  /** Rows [from, to) as a new matrix (copied). */
  public FeatureMatrix slice(int from, int to) {
    return new FeatureMatrix(model, java.util.Arrays.copyOfRange(ids, from, to),
        java.util.Arrays.copyOfRange(labels, from, to),
        java.util.Arrays.copyOfRange(phi, from * k, to * k),
        java.util.Arrays.copyOfRange(q, from, to), k);
  }

  /** A copy of row i. */
  public float[] row(int i) {
    return java.util.Arrays.copyOfRange(phi, i * k, (i + 1) * k);
  }
}
