package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.score.PartialScores;

/**
 * Self-influence τ(z_i, z_i) of a method with the LOSS as the measurement on both sides (DESIGN.md,
 * noisy-label AUC): w_i Σ_c a_c φ_c,iᵀ K_c⁻¹ g_c,i with g = P∇ℓ. TRAK gives
 * Q̄_i Σ_c a_c q_c,i φᵀK⁻¹φ (Q_i² φᵀK⁻¹φ for one model), Grad-Dot ‖P∇ℓ_i‖².
 *
 * <p>No second pass over the data is needed: for softmax cross-entropy ∇ℓ = -(1 - p_y)∇margin
 * exactly, so the loss gradient follows from the stored features and q. It is computed block by
 * block through {@link PartialScores} (one "query" per row: itself), in memory and on Spark alike.
 */
public final class SelfInfluence {
  private SelfInfluence() {}

  /** Whether a recipe's training features are margin gradients (TRAK) rather than loss ones. */
  public static boolean marginFeatures(Recipe recipe) {
    return recipe.trainOutput().name().equals("margin");
  }

  /**
   * Adds one block of checkpoint {@code rows.model()} to {@code sums} (created with one query).
   *
   * @param marginFeatures true if φ holds margin gradients (TRAK), false for loss gradients
   * @param preconditioner K_c⁻¹ of that checkpoint
   * @param coefficient a_c
   */
  public static void add(PartialScores sums, boolean marginFeatures,
      Preconditioner preconditioner, FeatureMatrix rows, double coefficient) {
    int b = rows.size();
    int k = rows.k();
    float[] lossGrad = new float[b * k];
    for (int i = 0; i < b; i++) {
      float scale = marginFeatures ? -rows.q()[i] : 1f;
      for (int j = 0; j < k; j++) {
        lossGrad[i * k + j] = scale * rows.phi()[i * k + j];
      }
    }
    float[] solved = preconditioner.apply(lossGrad, b);
    float[] values = new float[b];
    for (int i = 0; i < b; i++) {
      double dot = 0;
      for (int j = 0; j < k; j++) {
        dot += (double) rows.phi()[i * k + j] * solved[i * k + j];
      }
      values[i] = (float) dot;
    }
    sums.addValues(rows, values, coefficient);
  }
}
