package dev.ascribe.core.precondition;

import java.io.Serializable;
import java.util.Map;

/**
 * Step two of the template: K_c⁻¹ applied to query features. Fitted on the driver from the training
 * features, then shipped to wherever queries are scored.
 */
public interface Preconditioner extends Serializable {
  /**
   * @param queries row-major m x k query features
   * @param m number of rows
   * @return row-major m x k, each row multiplied by K⁻¹
   */
  float[] apply(float[] queries, int m);

  /** Resolved options (λ, factorization) for provenance. */
  Map<String, Object> describe();

  /** K = I. */
  static Preconditioner identity() {
    return new Preconditioner() {
      private static final long serialVersionUID = 1L;

      @Override
      public float[] apply(float[] queries, int m) {
        return queries;
      }

      @Override
      public Map<String, Object> describe() {
        return Map.of("kind", "identity");
      }
    };
  }
}
