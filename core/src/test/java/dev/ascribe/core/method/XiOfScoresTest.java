package dev.ascribe.core.method;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.select.SpectralScores;
import dev.ascribe.core.select.Xi;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * For single-model IF-FIM, ξ(z', λ) = -d log‖τ_λ(z', ·)‖ / d log λ (DESIGN.md): the closed form
 * from the eigenbasis against a central finite difference of actual IF-FIM scores at λ(1 ± h);
 * and the eigenbasis scores of the sweep against the attributor's own.
 */
class XiOfScoresTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(4, new int[] {3}, 3, 0);
  private static final Dataset TRAIN = tiny(24, 4, 3, 21, "train");
  private static final Dataset QUERIES = tiny(5, 4, 3, 22, "queries");

  @Test
  void closedFormEqualsFiniteDifferenceOfScoreNorms() {
    for (ProjectionOptions projection : new ProjectionOptions[] {null,
        ProjectionOptions.builder().setDim(6).optSeed(5).build()}) {
      Checkpoint cp = checkpoint(ARCH, 3);
      FeatureMatrix features = fim(cp, projection, 1).cache(TRAIN).features().get(0);
      FeatureSpectrum spectrum = FeatureSpectrum.of(features);
      FisherInfluenceAttributor any = fim(cp, projection, 1);
      FeatureMatrix queries = any.cache(TRAIN).queryFeatures(QUERIES).get(0);
      double[] coords = spectrum.coordinates(queries);
      int r = spectrum.rank();
      int m = queries.size();
      for (double multiple : new double[] {0.03, 0.3, 3}) {
        double lambda = multiple * spectrum.meanEigenvalue();
        double h = 1e-2;
        ScoreMatrix up = fim(cp, projection, lambda * (1 + h)).attribute(TRAIN, QUERIES);
        ScoreMatrix down = fim(cp, projection, lambda * (1 - h)).attribute(TRAIN, QUERIES);
        for (int q = 0; q < m; q++) {
          double[] c2 = new double[r];
          for (int i = 0; i < r; i++) {
            c2[i] = coords[i * m + q] * coords[i * m + q];
          }
          double closed = Xi.of(spectrum.values(), c2, lambda);
          double fd = -(Math.log(norm(up.column(q))) - Math.log(norm(down.column(q))))
              / (Math.log(1 + h) - Math.log(1 - h));
          assertEquals(fd, closed, 2e-3, "query " + q + " at " + multiple + "x, projection "
              + projection);
        }
      }
    }
  }

  @Test
  void eigenbasisScoresEqualTheAttributorsScores() {
    Checkpoint cp = checkpoint(ARCH, 3);
    FisherInfluenceAttributor base = fim(cp, null, 1);
    var fitted = base.cache(TRAIN);
    SpectralScores spectral = new SpectralScores(base.recipe().weight(), base.coefficients(),
        fitted.features(), List.of(FeatureSpectrum.of(fitted.features().get(0))),
        fitted.queryFeatures(QUERIES));
    double lambda = 0.1 * spectral.spectra().get(0).meanEigenvalue();
    ScoreMatrix expected = fim(cp, null, lambda).attribute(TRAIN, QUERIES);
    ScoreMatrix actual = spectral.at(new double[] {lambda});
    double scale = 0;
    for (int i = 0; i < expected.numTrain(); i++) {
      for (int q = 0; q < expected.numQueries(); q++) {
        scale = Math.max(scale, Math.abs(expected.get(i, q)));
      }
    }
    for (int i = 0; i < expected.numTrain(); i++) {
      assertEquals(expected.trainId(i), actual.trainId(i));
      for (int q = 0; q < expected.numQueries(); q++) {
        assertEquals(expected.get(i, q), actual.get(i, q), 1e-5 * scale, "score " + i + "," + q);
      }
    }
  }

  private static FisherInfluenceAttributor fim(Checkpoint cp, ProjectionOptions projection,
      double lambda) {
    AttributionTask task = AttributionTask.builder().setCheckpoints(List.of(cp))
        .optBatchSize(7).build();
    return new FisherInfluenceAttributor(task, projection, LambdaSpec.absolute(lambda));
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
