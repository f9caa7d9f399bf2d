package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryStatTest {

  @Test
  void skipsNaNAndUsesTheSampleStandardDeviation() {
    // Used values 1, 2, 3: mean 2; squared deviations 1 + 0 + 1 = 2; sample variance 2 / (3 - 1)
    // = 1; standard error 1 / sqrt(3).
    SummaryStat s = SummaryStat.of(new double[] {1, Double.NaN, 2, 3});
    assertEquals(2.0, s.mean(), 1e-15);
    assertEquals(1 / Math.sqrt(3), s.stdError(), 1e-15);
    assertEquals(3, s.count());
    assertEquals(1, s.skipped());
  }

  @Test
  void oneValueHasNoStandardErrorAndNoneHasNoMean() {
    SummaryStat one = SummaryStat.of(new double[] {Double.NaN, 0.25});
    assertEquals(0.25, one.mean(), 0.0);
    assertTrue(Double.isNaN(one.stdError()));
    assertEquals(1, one.count());
    assertEquals(1, one.skipped());

    SummaryStat none = SummaryStat.of(new double[] {Double.NaN, Double.NaN});
    assertTrue(Double.isNaN(none.mean()));
    assertTrue(Double.isNaN(none.stdError()));
    assertEquals(0, none.count());
    assertEquals(2, none.skipped());
  }

  @Test
  void describesItself() {
    assertEquals(
        "2.0000 ± 0.5774 (n = 3, 1 skipped as NaN)",
        SummaryStat.of(new double[] {1, Double.NaN, 2, 3}).toString());
  }
}
