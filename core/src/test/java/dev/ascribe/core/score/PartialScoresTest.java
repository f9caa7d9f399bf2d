package dev.ascribe.core.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.feature.FeatureMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming rows out of the partial sums: what completes, when, and with which values. */
class PartialScoresTest {
  /** Two examples (ids 5, 9) of checkpoint {@code model}, one value per query given directly. */
  private static FeatureMatrix rows(int model, float q5, float q9) {
    return new FeatureMatrix(model, new long[] {5, 9}, new int[] {0, 1}, new float[2],
        new float[] {q5, q9}, 1);
  }

  @Test
  void drainedRowsAreTheCompletedExamplesWithTheWeightOfTheirMeanQ() {
    PartialScores sums = new PartialScores(2, 2, RowWeight.NEG_MEAN_Q);
    // values b x m, row-major: example 5 then 9, queries 0 and 1.
    sums.addValues(rows(0, 0.2f, 0.4f), new float[] {1, 2, 3, 4}, 0.5);
    assertTrue(sums.drainComplete().isEmpty(), "each example still misses model 1");
    sums.addValues(rows(1, 0.6f, 0.8f), new float[] {10, 20, 30, 40}, 0.5);
    List<PartialScores.Row> rows = sums.drainComplete();
    assertEquals(2, rows.size());
    assertEquals(5, rows.get(0).exampleId());
    // w = -(0.2 + 0.6) / 2; sums = 0.5 (1 + 10), 0.5 (2 + 20).
    double w5 = -(0.2f + 0.6f) / 2.0;
    assertArrayEquals(new float[] {(float) (w5 * 5.5), (float) (w5 * 11)}, rows.get(0).scores());
    assertTrue(sums.drainComplete().isEmpty(), "drained rows leave the sums");
    assertTrue(sums.complete().isEmpty() && sums.incomplete().isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sums.addValues(rows(0, 0.1f, 0.1f), new float[] {1, 1, 1, 1}, 1));
    assertTrue(e.getMessage().contains("example 5 has a feature row for model 0 after all its"
        + " models were scored"), e.getMessage());
  }
}
