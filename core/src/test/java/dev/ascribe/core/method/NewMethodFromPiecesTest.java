package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.feature.Featurizer;
import dev.ascribe.core.feature.WholeGradients;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.HessianVectorProduct;
import dev.ascribe.core.grad.HessianVectorProductTest;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.ihvp.ConjugateGradient;
import dev.ascribe.core.ihvp.HessianCurvature;
import dev.ascribe.core.ihvp.InverseHvp;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.project.ProjectionKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "new method from the public pieces" example, kept true: influence scores assembled
 * by hand from Featurizer, HessianVectorProduct and ConjugateGradient equal the if-cg attributor.
 */
class NewMethodFromPiecesTest {
  @Test
  void handAssembledInfluenceEqualsIfCg() {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(4, 3);
    Dataset train = HessianVectorProductTest.dataset(30, 4, 3, 41);
    Dataset queries = HessianVectorProductTest.dataset(4, 4, 3, 42);
    Checkpoint checkpoint = HessianVectorProductTest.checkpoint(arch, 43);

    // --- README example starts
    int[] rows = Inputs.range(0, train.size());
    double[][] influence;
    try (Featurizer grads = new Featurizer(0, checkpoint,
        new WholeGradients(checkpoint.spec().numParameters(), null), 128);
        HessianVectorProduct hvp = new HessianVectorProduct(checkpoint, train, rows,
            HessianVectorProduct.Options.defaults())) {
      FeatureMatrix g = grads.featurize(train, ModelOutputs.crossEntropy(), 1f);  // ∇ℓ(z_i)
      FeatureMatrix q = grads.featurize(queries, ModelOutputs.margin(), -1f);     // -∇f(z')
      InverseHvp ihvp = new ConjugateGradient(new HessianCurvature(hvp, rows, rows.length, 0),
          0.05, new ConjugateGradient.Options(100, 1e-8));
      double[][] x = ihvp.solve(toDouble(q));                                     // (H + λI)⁻¹ g'
      influence = new double[g.size()][x.length];
      for (int i = 0; i < g.size(); i++) {
        float[] gi = g.row(i);
        for (int j = 0; j < x.length; j++) {
          for (int p = 0; p < gi.length; p++) {
            influence[i][j] += gi[p] * x[j][p];                                  // τ(z'_j, z_i)
          }
        }
      }
    }
    // --- README example ends

    ScoreMatrix expected = new MethodSpec("if-cg", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        "0.05", 128, Map.of("iterations", "100", "tolerance", "1e-8"))
        .create(List.of(checkpoint), 1).attribute(train, queries);
    for (int i = 0; i < train.size(); i++) {
      for (int j = 0; j < queries.size(); j++) {
        assertEquals(expected.get(i, j), influence[i][j], 1e-4 * Math.abs(expected.get(i, j))
            + 1e-6);
      }
    }
  }

  static double[][] toDouble(FeatureMatrix m) {
    double[][] out = new double[m.size()][];
    for (int i = 0; i < m.size(); i++) {
      float[] row = m.row(i);
      out[i] = new double[row.length];
      for (int p = 0; p < row.length; p++) {
        out[i][p] = row[p];
      }
    }
    return out;
  }
}
