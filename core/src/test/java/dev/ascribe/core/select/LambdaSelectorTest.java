package dev.ascribe.core.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.feature.FeatureMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LambdaSelectorTest {
  @Test
  void validationQueriesOverlappingTheEvaluationQueriesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LambdaSelector.checkDisjoint(new long[] {498, 499, 500}, new long[] {0, 499}));
    assertTrue(e.getMessage().contains("data.validation overlaps the evaluation queries"),
        e.getMessage());
    assertTrue(e.getMessage().contains("1 shared example ids, the first 499"), e.getMessage());
    LambdaSelector.checkDisjoint(new long[] {500, 501}, new long[] {0, 499});
  }

  @Test
  void dualAndPrimalSpectraAgree() {
    // n = 6 rows of k = 9 features (dual) against the same rows padded to n = 12 with zeros
    // (primal, same F up to the 1/n scale).
    FeatureMatrix dual = features(6, 9, 3);
    FeatureSpectrum d = FeatureSpectrum.of(dual);
    assertEquals(FeatureSpectrum.Form.DUAL, d.form());
    float[] padded = java.util.Arrays.copyOf(dual.phi(), 12 * 9);
    FeatureMatrix primal = new FeatureMatrix(0, new long[12], new int[12], padded, new float[12],
        9);
    FeatureSpectrum p = FeatureSpectrum.of(primal);
    assertEquals(FeatureSpectrum.Form.PRIMAL, p.form());
    assertEquals(6, d.rank());
    assertEquals(6, p.rank());
    double[] scaled = p.values();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 2;
    }
    assertArrayEquals(d.values(), scaled, 1e-5 * d.values()[0]);
    // Same coordinates up to each eigenvector's sign.
    FeatureMatrix q = features(2, 9, 4);
    double[] cd = d.coordinates(q);
    double[] cp = p.coordinates(q);
    for (int i = 0; i < cd.length; i++) {
      assertEquals(Math.abs(cd[i]), Math.abs(cp[i]), 1e-4);
    }
  }

  @Test
  void selectionReportsTheCurveEveryRuleAndTheChosenLambda() {
    List<FeatureSpectrum> spectra = List.of(FeatureSpectrum.of(features(40, 8, 1)),
        FeatureSpectrum.of(features(40, 8, 2)));
    List<FeatureMatrix> validation = List.of(features(5, 8, 3), features(5, 8, 4));
    LambdaSelection s = LambdaSelector.select(spectra, validation, new LambdaRule.MeanMultiple(
        0.3), 0);
    assertEquals(LambdaSelector.GRID.length, s.xi().length);
    assertEquals(0.3, s.multiple(), 1e-12);
    assertEquals(0.3 * spectra.get(1).meanEigenvalue(), s.lambdas()[1], 1e-15);
    assertEquals(LambdaRule.CANDIDATES.size(), s.candidates().size());
    assertTrue(s.xi()[0] < 0.05 && s.xi()[s.xi().length - 1] > 0.95);
    // The paper's rule lands where ξ̄ = 0.5.
    double m = new LambdaRule.XiThreshold(0.5).multiple(new XiCurve(spectra, validation));
    assertEquals(0.5, new XiCurve(spectra, validation).at(m), 1e-6);
    assertEquals(m, s.meanMultiple(s.candidates().get("xi=0.5")), 1e-9);
  }

  @Test
  void autoNeedsOnlyTheMeanEigenvalueWhichTheCholeskyShortcutGivesExactly() {
    // Full rank (n = 40 >= k = 8): trace/k; rank-deficient (4 rows padded to 12 of k = 8): the
    // Cholesky certificate fails and the eigenvalues decide.
    FeatureMatrix full = features(40, 8, 1);
    float[] padded = java.util.Arrays.copyOf(features(4, 8, 2).phi(), 12 * 8);
    FeatureMatrix deficient = new FeatureMatrix(0, new long[12], new int[12], padded,
        new float[12], 8);
    for (FeatureMatrix m : List.of(full, deficient)) {
      double expected = FeatureSpectrum.of(m).meanEigenvalue();
      assertEquals(expected, FeatureSpectrum.smallerKernel(m).meanNonZeroEigenvalue(),
          1e-12 * expected);
      assertEquals(dev.ascribe.core.linalg.LambdaSpec.AUTO_MULTIPLE * expected,
          dev.ascribe.core.linalg.LambdaSpec.auto().resolve(FeatureSpectrum.smallerKernel(m)),
          1e-12 * expected);
    }
  }

  @Test
  void rulesParseFromTheirNames() {
    for (LambdaRule r : LambdaRule.CANDIDATES) {
      assertEquals(r, LambdaRule.parse(r.name()));
    }
    assertThrows(IllegalArgumentException.class, () -> LambdaRule.parse("half"));
  }

  private static FeatureMatrix features(int n, int k, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] phi = new float[n * k];
    for (int i = 0; i < phi.length; i++) {
      // Columns of different scales: a spread spectrum.
      phi[i] = (float) ((random.nextDouble() - 0.5) * (1 + i % k));
    }
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return new FeatureMatrix(0, ids, new int[n], phi, new float[n], k);
  }
}
