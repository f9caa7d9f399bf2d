package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubsetsTest {

  @Test
  void sizeIsFloorOfAlphaTimesN() {
    assertEquals(5, Subsets.halfSubset(10, 0.5, 1, 0).length);
    assertEquals(3, Subsets.halfSubset(7, 0.5, 1, 0).length); // floor(3.5)
    assertEquals(2500, Subsets.halfSubset(5000, 0.5, 1, 0).length);
    assertEquals(3, Subsets.halfSubset(10, 0.3, 1, 0).length); // 0.3 * 10 = 3.0000000000000004
    assertArrayEquals(new int[] {0, 1, 2, 3}, Subsets.halfSubset(4, 1.0, 9, 3));
  }

  @Test
  void subsetsAreSortedDistinctAndInRange() {
    for (int j = 0; j < 50; j++) {
      int[] s = Subsets.halfSubset(1000, 0.5, 42, j);
      for (int p = 0; p < s.length; p++) {
        assertTrue(s[p] >= 0 && s[p] < 1000, "subset " + j + " holds " + s[p]);
        if (p > 0) {
          assertTrue(s[p - 1] < s[p], "subset " + j + " not strictly increasing at " + p);
        }
      }
    }
  }

  @Test
  void sameInputsGiveTheSameSubsetAndOthersDiffer() {
    assertArrayEquals(Subsets.halfSubset(100, 0.5, 42, 7), Subsets.halfSubset(100, 0.5, 42, 7));
    assertFalse(
        java.util.Arrays.equals(
            Subsets.halfSubset(100, 0.5, 42, 7), Subsets.halfSubset(100, 0.5, 42, 8)));
    assertFalse(
        java.util.Arrays.equals(
            Subsets.halfSubset(100, 0.5, 42, 7), Subsets.halfSubset(100, 0.5, 43, 7)));
  }

  @Test
  void regeneratingInAnyOrderGivesTheSameSubsets() {
    int[][] forward = new int[50][];
    for (int j = 0; j < 50; j++) {
      forward[j] = Subsets.halfSubset(500, 0.5, 2024, j);
    }
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < 50; j++) {
      order.add(j);
    }
    Collections.shuffle(order, new Random(5));
    for (int j : order) {
      assertArrayEquals(forward[j], Subsets.halfSubset(500, 0.5, 2024, j), "subset " + j);
    }
  }

  @Test
  void everyRowIsIncludedAboutAlphaOfTheTime() {
    // Across independent subsets, row i's inclusion count is Binomial(M, k/n). With n = 20,
    // alpha = 0.3 (k = 6, p = 0.3) and M = 4000: mean 1200, std sqrt(4000 * 0.3 * 0.7) ≈ 29.0.
    // A 5-std band is [1055, 1345]; a biased shuffle (e.g. one favouring low indices) leaves it.
    int n = 20;
    int numSubsets = 4000;
    int[] counts = new int[n];
    for (int j = 0; j < numSubsets; j++) {
      for (int i : Subsets.halfSubset(n, 0.3, 11, j)) {
        counts[i]++;
      }
    }
    double mean = numSubsets * 0.3;
    double std = Math.sqrt(numSubsets * 0.3 * 0.7);
    for (int i = 0; i < n; i++) {
      assertTrue(
          Math.abs(counts[i] - mean) < 5 * std,
          "row " + i + " included " + counts[i] + " times: expected " + mean + " ± " + 5 * std);
    }
  }

  @Test
  void generatorIsSplitMix64() {
    // The published SplitMix64 reference: state 0 gives 0xE220A8397B1DCDAF first.
    assertEquals(0xE220A8397B1DCDAFL, Subsets.nextLong(new long[] {0}));
    // And it still matches the JDK's SplittableRandom from the same state.
    long start = Subsets.streamStart(42, 3);
    long[] state = {start};
    SplittableRandom jdk = new SplittableRandom(start);
    for (int t = 0; t < 100; t++) {
      assertEquals(jdk.nextLong(), Subsets.nextLong(state), "draw " + t);
    }
  }

  @Test
  void uniformDrawsStayInRange() {
    long[] state = {123};
    assertEquals(0, Subsets.uniform(state, 1));
    int[] counts = new int[3];
    for (int t = 0; t < 3000; t++) {
      counts[Subsets.uniform(state, 3)]++;
    }
    for (int c : counts) {
      // Binomial(3000, 1/3): mean 1000, std ≈ 25.8; 5 std ≈ 129.
      assertTrue(Math.abs(c - 1000) < 129, "count " + c);
    }
  }

  @Test
  void formatVersion1IsPinned() {
    // A stored-data contract: if this changes, existing ground truth no longer matches its
    // subsets. Bump Subsets.FORMAT_VERSION and update these values together, never one alone.
    // The values were also reproduced by a separate Python port of the documented algorithm.
    assertEquals(1, Subsets.FORMAT_VERSION);
    assertArrayEquals(new int[] {3, 6, 7, 8, 9}, Subsets.halfSubset(10, 0.5, 42, 0));
    assertArrayEquals(new int[] {0, 2, 4, 5, 7}, Subsets.halfSubset(10, 0.5, 42, 1));
  }

  @Test
  void invalidArgumentsAreRejectedWithTheValue() {
    assertMessage(() -> Subsets.halfSubset(0, 0.5, 1, 0), "n given 0");
    assertMessage(() -> Subsets.halfSubset(10, 0.0, 1, 0), "alpha given 0.0");
    assertMessage(() -> Subsets.halfSubset(10, 1.5, 1, 0), "alpha given 1.5");
    assertMessage(() -> Subsets.halfSubset(10, Double.NaN, 1, 0), "alpha given NaN");
    assertMessage(() -> Subsets.halfSubset(1, 0.5, 1, 0), "floor(alpha * n) = 0");
    assertMessage(() -> Subsets.halfSubset(10, 0.5, 1, -1), "modelIndex given -1");
  }

  private static void assertMessage(Runnable call, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
