package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.project.CounterRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Synthetic rows against their definition: clip(x + σ ε, 0, 1), ε keyed by (seed, id). */
class SyntheticRowsTest {
  private static float[] source(float value) {
    float[] x = new float[784];
    Arrays.fill(x, value);
    return x;
  }

  @Test
  void eachPixelIsTheSourcePlusSigmaTimesTheKeyedGaussianClippedToTheUnitInterval() {
    SyntheticRows rows = new SyntheticRows(100, 7, 0.2, 10);
    float[] x = source(0.5f);
    x[0] = 0f;
    x[1] = 1f;
    float[] y = rows.features(42, x);
    long key = CounterRandom.key(7, 42);
    for (int j = 0; j < x.length; j++) {
      double expected = Math.min(1, Math.max(0, x[j] + 0.2 * CounterRandom.gaussian(key, j)));
      assertEquals((float) expected, y[j], 0f, "pixel " + j);
      assertTrue(y[j] >= 0 && y[j] <= 1);
    }
    // Away from the clip, the added noise has about the asked standard deviation.
    double sum = 0;
    double sq = 0;
    for (int j = 2; j < y.length; j++) {
      sum += y[j] - 0.5;
      sq += (y[j] - 0.5) * (y[j] - 0.5);
    }
    int n = y.length - 2;
    assertEquals(0.2, Math.sqrt(sq / n - (sum / n) * (sum / n)), 0.02);
  }

  @Test
  void rowsAreDeterministicPerSeedAndIdAndDifferAcrossBoth() {
    float[] x = source(0.3f);
    SyntheticRows a = new SyntheticRows(1000, 1, 0.1, 10);
    assertArrayEquals(a.features(5, x), new SyntheticRows(2, 1, 0.1, 5).features(5, x),
        "a row depends on (seed, id, noise, source) only, not on the table size or base");
    assertFalse(Arrays.equals(a.features(5, x), a.features(6, x)), "ids differ");
    assertFalse(Arrays.equals(a.features(5, x), new SyntheticRows(1000, 2, 0.1, 10)
        .features(5, x)), "seeds differ");
    assertArrayEquals(x, new SyntheticRows(10, 1, 0, 10).features(5, x), "noise 0 copies");
  }

  @Test
  void theSourceRecordCyclesThroughTheBase() {
    SyntheticRows rows = new SyntheticRows(100, 0, 0.1, 30);
    assertEquals(0, rows.sourceIndex(0));
    assertEquals(29, rows.sourceIndex(29));
    assertEquals(0, rows.sourceIndex(30));
    assertEquals(7, rows.sourceIndex(97));
  }

  @Test
  void badOptionsAreNamedWithTheirValue() {
    assertEquals("synthetic table option rows given 0: must be >= 1",
        assertThrows(IllegalArgumentException.class, () -> new SyntheticRows(0, 0, 0.1, 10))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SyntheticRows(10, 0, -0.5, 10)).getMessage()
        .startsWith("synthetic table option noise given -0.5: must be"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SyntheticRows(10, 0, Double.NaN, 10)).getMessage()
        .startsWith("synthetic table option noise given NaN"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SyntheticRows(10, 0, 0.1, 0)).getMessage()
        .startsWith("synthetic table option base given 0: must be >= 1"));
  }
}
