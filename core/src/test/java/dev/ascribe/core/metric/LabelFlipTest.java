package dev.ascribe.core.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LabelFlipTest {
  private static Dataset data(int n, int classes) {
    long[] ids = new long[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + i;
      labels[i] = (i * 7) % classes;
    }
    return new Dataset("toy", ids, new float[n], labels, 1, classes);
  }

  @Test
  void flipsExactlyTheFractionEachToAnotherClass() {
    Dataset clean = data(5000, 10);
    LabelFlip flip = LabelFlip.of(clean, 0.1, 3);
    assertEquals(500, flip.count());
    int flipped = 0;
    for (int i = 0; i < clean.size(); i++) {
      if (flip.flipped()[i]) {
        flipped++;
        assertNotEquals(clean.label(i), flip.data().label(i), "row " + i + " kept its class");
      } else {
        assertEquals(clean.label(i), flip.data().label(i));
      }
    }
    assertEquals(500, flipped);
    assertArrayEquals(clean.ids(), flip.data().ids());
    assertEquals(clean.features(7)[0], flip.data().features(7)[0]);
    assertTrue(flip.data().name().contains("flip(0.1,seed=3)"), flip.data().name());
  }

  @Test
  void theNewClassIsUniformOverTheOtherClasses() {
    // 3 classes, every label 0: flipped rows go to 1 or 2 with probability 1/2 each.
    Dataset clean = new Dataset("zeros", new long[20000], new float[20000], new int[20000], 1, 3);
    LabelFlip flip = LabelFlip.of(clean, 0.5, 1);
    int[] counts = new int[3];
    for (int i = 0; i < clean.size(); i++) {
      counts[flip.data().label(i)]++;
    }
    assertEquals(10000, counts[0]);
    // Binomial(10000, 1/2): std 50; 5 std apart from 5000 would be a broken draw.
    assertEquals(5000, counts[1], 250);
  }

  @Test
  void isDeterministicInTheSeed() {
    Dataset clean = data(300, 4);
    LabelFlip a = LabelFlip.of(clean, 0.2, 5);
    LabelFlip b = LabelFlip.of(clean, 0.2, 5);
    LabelFlip c = LabelFlip.of(clean, 0.2, 6);
    assertArrayEquals(a.flipped(), b.flipped());
    assertArrayEquals(a.data().labels(), b.data().labels());
    assertFalse(Arrays.equals(a.flipped(), c.flipped()));
  }

  @Test
  void fractionsOutsideTheOpenIntervalAreRejectedNamingTheOption() {
    Dataset clean = data(100, 3);
    for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertEquals("noisy option fraction given " + bad + ": must be in (0, 1) (DESIGN.md uses"
          + " 0.1)", assertThrows(IllegalArgumentException.class,
              () -> LabelFlip.of(clean, bad, 0)).getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(clean, 0.001, 0))
        .getMessage().contains("flips 0 labels"));
  }
}
