package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRandomTest {

  @Test
  void bitsAreTheSplitMix64SequenceOfTheKey() {
    // Reference outputs of SplitMix64 (Vigna's splitmix64.c) started from state 0.
    assertEquals(0xe220a8397b1dcdafL, CounterRandom.bits(0L, 0));
    assertEquals(0x6e789e6aa1b965f4L, CounterRandom.bits(0L, 1));
    assertEquals(0x06c45d188009454fL, CounterRandom.bits(0L, 2));
  }

  @Test
  void blockKeysAreTheSplitMix64SequenceOfTheMixedSeed() {
    long seed = 42;
    long state = CounterRandom.mix64(seed);
    for (long b = 0; b < 5; b++) {
      assertEquals(CounterRandom.bits(state, b), CounterRandom.key(seed, b));
    }
    assertNotEquals(CounterRandom.key(1, 0), CounterRandom.key(2, 0));
  }

  @Test
  void uniformStaysStrictlyInsideTheUnitInterval() {
    assertEquals(0x1.0p-53, CounterRandom.uniform(0L));
    assertEquals(1 - 0x1.0p-53, CounterRandom.uniform(-1L));
    assertTrue(CounterRandom.uniform(-1L) < 1.0);
    assertEquals(0.5 + 0x1.0p-53, CounterRandom.uniform(Long.MIN_VALUE));
  }

  @Test
  void sinAndCosOfATurnFractionMatchStrictMath() {
    double maxErr = 0;
    for (int i = 0; i < 200_000; i++) {
      double u = CounterRandom.uniform(CounterRandom.bits(7, i));
      double theta = 2 * Math.PI * u;
      maxErr = Math.max(maxErr, Math.abs(CounterRandom.cos2pi(u) - StrictMath.cos(theta)));
      maxErr = Math.max(maxErr, Math.abs(CounterRandom.sin2pi(u) - StrictMath.sin(theta)));
    }
    // 2 pi u itself is rounded (up to 4.4e-16 near 2 pi), so this is as close as the reference is.
    assertTrue(maxErr < 1e-15, "max error " + maxErr);
    // Exact at the quarter turns, where the reduction leaves a = 0.
    assertEquals(1.0, CounterRandom.cos2pi(0.0));
    assertEquals(0.0, CounterRandom.sin2pi(0.0));
    assertEquals(-1.0, CounterRandom.sin2pi(0.75));
    assertEquals(-1.0, CounterRandom.cos2pi(0.5));
    assertEquals(1.0, CounterRandom.sin2pi(0.25));
  }

  @Test
  void gaussianIsBoxMullerOfTwoUniforms() {
    long key = CounterRandom.key(3, 9);
    for (long p = 0; p < 50; p++) {
      double u1 = CounterRandom.uniform(CounterRandom.bits(key, 2 * p));
      double u2 = CounterRandom.uniform(CounterRandom.bits(key, 2 * p + 1));
      double r = Math.sqrt(-2 * StrictMath.log(u1));
      assertEquals(r * StrictMath.cos(2 * Math.PI * u2), CounterRandom.gaussian(key, 2 * p), 1e-14);
      assertEquals(
          r * StrictMath.sin(2 * Math.PI * u2), CounterRandom.gaussian(key, 2 * p + 1), 1e-14);
    }
  }

  @Test
  void bulkRunsEqualSingleValuesBitForBitForAnyStartAndLength() {
    long key = CounterRandom.key(11, 4);
    double[] out = new double[140];
    for (long first : new long[] {0, 1, 2, 63, 64, 127, 1001}) {
      for (int len : new int[] {0, 1, 2, 3, 64, 65, 130}) {
        CounterRandom.gaussians(key, first, out, 5, len);
        for (int i = 0; i < len; i++) {
          assertEquals(
              CounterRandom.gaussian(key, first + i), out[5 + i], "gaussian " + (first + i));
        }
        CounterRandom.rademachers(key, first, out, 5, len);
        for (int i = 0; i < len; i++) {
          assertEquals(CounterRandom.rademacher(key, first + i), out[5 + i], "sign " + (first + i));
        }
      }
    }
  }

  @Test
  void rademacherUsesOneBitPerCounter() {
    long key = CounterRandom.key(5, 0);
    long word = CounterRandom.bits(key, 1); // counters 64..127
    for (int bit = 0; bit < 64; bit++) {
      int expected = ((word >>> bit) & 1L) == 0 ? 1 : -1;
      assertEquals(expected, CounterRandom.rademacher(key, 64 + bit));
    }
  }
}
