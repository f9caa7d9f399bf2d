package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NoisyLabelAucTest {
  private static final boolean[] FLIPPED = {false, true, false, true, false};

  @Test
  void aPerfectRankingScoresOneAndItsReverseZero() {
    NoisyLabelAuc.Result perfect =
        NoisyLabelAuc.evaluate(new float[] {0.1f, 5, 0.2f, 4, 0.3f}, FLIPPED);
    assertEquals(1.0, perfect.auc(), 0);
    assertEquals(1.0, perfect.topPrecision(), 0);
    assertEquals(2, perfect.flipped());
    assertEquals(5, perfect.examples());
    NoisyLabelAuc.Result reversed =
        NoisyLabelAuc.evaluate(new double[] {5, 0.1, 4, 0.2, 3}, FLIPPED);
    assertEquals(0.0, reversed.auc(), 0);
    assertEquals(0.0, reversed.topPrecision(), 0);
  }

  @Test
  void aMixedRankingCountsPairs() {
    // Positives 3 and 1; negatives 2, 0, 0.5. Pairs won: 3 beats all 3, 1 beats 2 of 3: 5 / 6.
    NoisyLabelAuc.Result r = NoisyLabelAuc.evaluate(new double[] {2, 3, 0, 1, 0.5}, FLIPPED);
    assertEquals(5.0 / 6, r.auc(), 1e-15);
    // The top two are 3 (flipped) and 2 (clean).
    assertEquals(0.5, r.topPrecision(), 0);
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> NoisyLabelAuc.evaluate(new double[] {1, 2}, FLIPPED));
    assertThrows(IllegalArgumentException.class,
        () -> NoisyLabelAuc.evaluate(new double[] {1, 2}, new boolean[] {true, true}));
  }
}
