package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RocAucTest {

  @Test
  void tiesCountOneHalf() {
    // Ascending ranks: 0.1 → 1, the two 0.8s → (2 + 3)/2 = 2.5 each, 0.9 → 4.
    // Positives are index 0 (0.9, rank 4) and index 2 (0.8, rank 2.5): R = 6.5.
    // U = R - P(P+1)/2 = 6.5 - 3 = 3.5; AUC = U / (P N) = 3.5 / 4 = 0.875.
    // Pairwise check: (0.9, 0.8) 1, (0.9, 0.1) 1, (0.8, 0.8) 1/2, (0.8, 0.1) 1: 3.5 of 4.
    double auc =
        RocAuc.rocAuc(new double[] {0.9, 0.8, 0.8, 0.1}, new boolean[] {true, false, true, false});
    assertEquals(0.875, auc, 1e-15);
  }

  @Test
  void handCaseWithoutTies() {
    // Scores [0.3, 0.7, 0.2, 0.9, 0.5]; positives 0.7, 0.2, 0.5; negatives 0.3, 0.9.
    // Ranks: 0.2 → 1, 0.3 → 2, 0.5 → 3, 0.7 → 4, 0.9 → 5; R = 4 + 1 + 3 = 8.
    // U = 8 - 3 * 4 / 2 = 2; AUC = 2 / (3 * 2) = 1/3. Pairwise: 0.7 beats 0.3; 0.5 beats 0.3.
    double auc =
        RocAuc.rocAuc(
            new double[] {0.3, 0.7, 0.2, 0.9, 0.5},
            new boolean[] {false, true, true, false, true});
    assertEquals(1.0 / 3, auc, 1e-15);
  }

  @Test
  void extremes() {
    boolean[] mask = {true, true, false, false};
    assertEquals(1.0, RocAuc.rocAuc(new double[] {4, 3, 2, 1}, mask), 0.0);
    assertEquals(0.0, RocAuc.rocAuc(new double[] {1, 2, 3, 4}, mask), 0.0);
    assertEquals(0.5, RocAuc.rocAuc(new double[] {7, 7, 7, 7}, mask), 0.0);
    assertEquals(
        1.0, RocAuc.rocAuc(new double[] {Double.POSITIVE_INFINITY, 3, 2, 1}, mask), 0.0);
  }

  @Test
  void badInputsAreRejected() {
    assertMessage(
        () -> RocAuc.rocAuc(new double[] {0.5, Double.NaN, 0.1}, new boolean[] {true, false, true}),
        "NaN score at index 1");
    assertMessage(
        () -> RocAuc.rocAuc(new double[] {0.5, 0.2}, new boolean[] {true, true}),
        "2 positives and 0 negatives");
    assertMessage(
        () -> RocAuc.rocAuc(new double[] {0.5, 0.2}, new boolean[] {false, false}),
        "0 positives and 2 negatives");
    assertMessage(
        () -> RocAuc.rocAuc(new double[] {0.5, 0.2, 0.1}, new boolean[] {true, false}),
        "3 scores and a mask of length 2");
  }

  private static void assertMessage(Executable call, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
