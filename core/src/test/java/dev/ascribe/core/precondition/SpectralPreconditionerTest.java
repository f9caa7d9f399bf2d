package dev.ascribe.core.precondition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.grad.HessianVectorProductTest;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.score.ScoreMatrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whole gradients of a model with more parameters than training rows (issue 20: TRAK with
 * projection.dim = 0 and n = 400 < d = 7,850 spent minutes on a d x d kernel): the kernel methods
 * take the n x n dual route, and score as the k x k kernel's factorization does.
 */
class SpectralPreconditionerTest {
  static final FeedForwardSpec MLP = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0); // d = 53
  static final Dataset TRAIN = HessianVectorProductTest.dataset(30, 6, 3, 61);
  static final Dataset QUERIES = HessianVectorProductTest.dataset(4, 6, 3, 62);

  @Test
  void dualRouteScoresAsTheFactoredKernelAndIsStoredWithoutLoss() throws IOException {
    Checkpoint cp = HessianVectorProductTest.checkpoint(MLP, 3);
    for (String lambda : List.of("0.3x", "0")) {
      MethodSpec spec = new MethodSpec("trak", "margin", 0, ProjectionKind.GAUSSIAN, 0, lambda,
          8, Map.of());
      InnerProductAttributor attributor = spec.create(List.of(cp), 1);
      InnerProductAttributor.Fitted fitted = attributor.cache(TRAIN);
      Preconditioner dual = fitted.preconditioners().get(0);
      assertTrue(dual instanceof SpectralPreconditioner, dual.describe().toString());
      assertTrue(dual.describe().get("factorization").toString().contains("dual: the 30 x 30"),
          dual.describe().toString());
      FeatureMatrix train = fitted.features().get(0);
      FeatureMatrix queries = fitted.queryFeatures(QUERIES).get(0);
      // The primal route: the 53 x 53 kernel factored (pseudo-inverse at λ = 0).
      Preconditioner primal = attributor.precondition(0, attributor.fit(train), null);
      assertTrue(primal instanceof KernelPreconditioner);
      float[] viaDual = dual.apply(queries.phi(), queries.size());
      float[] viaPrimal = primal.apply(queries.phi(), queries.size());
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < train.size(); i++) {
        for (int q = 0; q < queries.size(); q++) {
          double a = 0;
          double b = 0;
          for (int j = 0; j < train.k(); j++) {
            a += train.phi()[i * train.k() + j] * viaDual[q * train.k() + j];
            b += train.phi()[i * train.k() + j] * viaPrimal[q * train.k() + j];
          }
          scale = Math.max(scale, Math.abs(b));
          worst = Math.max(worst, Math.abs(a - b));
        }
      }
      assertTrue(scale > 0);
      assertTrue(worst < 1e-4 * scale, "λ " + lambda + ": dual and primal scores differ by "
          + worst + " at scale " + scale);
      ScoreMatrix scores = fitted.attribute(QUERIES);
      assertEquals(TRAIN.size(), scores.numTrain());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ((SpectralPreconditioner) dual).save(bytes);
      var in = new java.io.BufferedInputStream(new ByteArrayInputStream(bytes.toByteArray()));
      assertTrue(SpectralPreconditioner.isStored(in));
      SpectralPreconditioner loaded = SpectralPreconditioner.load(in, train.k());
      assertArrayEquals(viaDual, loaded.apply(queries.phi(), queries.size()));
      assertEquals(dual.describe(), loaded.describe());
    }
    // λ = 0.3 x the mean eigenvalue: the dual spectrum has the kernel's non-zero eigenvalues.
    MethodSpec spec = new MethodSpec("trak", "margin", 0, ProjectionKind.GAUSSIAN, 0, "0.3x", 8,
        Map.of());
    InnerProductAttributor attributor = spec.create(List.of(cp), 1);
    InnerProductAttributor.Fitted fitted = attributor.cache(TRAIN);
    double mean = attributor.fit(fitted.features().get(0)).meanNonZeroEigenvalue();
    assertEquals(0.3 * mean, ((SpectralPreconditioner) fitted.preconditioners().get(0)).lambda(),
        1e-9 * mean);
  }
}
