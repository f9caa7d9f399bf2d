package dev.ascribe.core.attribute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Step three of the template: the scores of a block of training rows against all queries,
 * S = diag(w) Σ_c a_c Φ_c Ψ̃_cᵀ, where Ψ̃_c are the preconditioned query features. Used on the whole
 * training set in memory and on one partition's rows in a Spark job.
 */
public final class ScoreBlock {
  private ScoreBlock() {}

  /**
   * @param train one feature block per checkpoint, all over the same rows (b rows, k columns)
   * @param queries preconditioned query features per checkpoint, row-major m x k
   * @param coefficients a_c per checkpoint
   * @param weights w_i per row, length b
   * @param numQueries m
   * @return row-major b x m scores
   */
  public static float[] compute(List<FeatureMatrix> train, List<float[]> queries,
      double[] coefficients, float[] weights, int numQueries) {
    int b = train.get(0).size();
    double[] sum = new double[b * numQueries];
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int c = 0; c < train.size(); c++) {
        FeatureMatrix f = train.get(c);
        if (f.size() != b) {
          throw new IllegalArgumentException("feature blocks disagree: " + f.size() + " rows for"
              + " model " + f.model() + ", " + b + " for model " + train.get(0).model());
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray phi = scope.create(f.phi(), new Shape(b, f.k()));
          NDArray psi = scope.create(queries.get(c), new Shape(numQueries, f.k()));
          float[] block = phi.matMul(psi.transpose()).toFloatArray();
          for (int j = 0; j < block.length; j++) {
            sum[j] += coefficients[c] * block[j];
          }
        }
      }
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < b; i++) {
      for (int q = 0; q < numQueries; q++) {
        out[i * numQueries + q] = (float) (weights[i] * sum[i * numQueries + q]);
      }
    }
    return out;
  }

  /** Training-side weights w_i of a recipe from the per-checkpoint feature blocks. */
  public static float[] weights(Recipe.Weight weight, List<FeatureMatrix> train) {
    int b = train.get(0).size();
    float[] w = new float[b];
    if (weight == Recipe.Weight.ONE) {
      java.util.Arrays.fill(w, 1f);
      return w;
    }
    for (int i = 0; i < b; i++) {
      double q = 0;
      for (FeatureMatrix f : train) {
        q += f.q()[i];
      }
      w[i] = (float) (-q / train.size());
    }
    return w;
  }

  /** Checkpoint coefficients a_c of a recipe. */
  public static double[] coefficients(Recipe.Combine combine, List<Checkpoint> checkpoints) {
    double[] a = new double[checkpoints.size()];
    for (int c = 0; c < a.length; c++) {
      a[c] = combine == Recipe.Combine.MEAN ? 1.0 / a.length : checkpoints.get(c).weight();
    }
    return a;
  }

  /** Scales every row of a row-major (rows x k) matrix to unit length in place (Grad-Cos). */
  public static void normalizeRows(float[] rows, int k) {
    for (int off = 0; off < rows.length; off += k) {
      double norm = 0;
      for (int j = 0; j < k; j++) {
        norm += (double) rows[off + j] * rows[off + j];
      }
      if (norm > 0) {
        float inv = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < k; j++) {
          rows[off + j] *= inv;
        }
      }
    }
  }
}
