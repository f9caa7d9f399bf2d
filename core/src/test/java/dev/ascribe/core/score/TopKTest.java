package dev.ascribe.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void proponentsAreLargestPositiveWithTiesByIdAscending() {
    TopK top = new TopK(3, TopK.Kind.PROPONENT);
    double[] scores = {0.5, 2.0, -1.0, 2.0, 0.0, 1.0};
    long[] ids = {10, 11, 12, 9, 13, 14};
    for (int i = 0; i < ids.length; i++) {
      top.offer(ids[i], scores[i]);
    }
    assertEquals(List.of(new TopK.Entry(9, 2.0), new TopK.Entry(11, 2.0),
        new TopK.Entry(14, 1.0)), top.sorted());
  }

  @Test
  void opponentsAreMostNegativeAndZeroIsNeither() {
    TopK top = new TopK(5, TopK.Kind.OPPONENT);
    top.offer(1, -0.5);
    top.offer(2, 0.0);
    top.offer(3, -3.0);
    top.offer(4, 4.0);
    assertEquals(List.of(new TopK.Entry(3, -3.0), new TopK.Entry(1, -0.5)), top.sorted());
  }

  @Test
  void mergingPartialSelectionsEqualsOneSelection() {
    TopK all = new TopK(4, TopK.Kind.PROPONENT);
    TopK left = new TopK(4, TopK.Kind.PROPONENT);
    TopK right = new TopK(4, TopK.Kind.PROPONENT);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (long id = 0; id < 100; id++) {
      double s = Math.floor(rng.nextDouble() * 10) - 3; // many ties
      all.offer(id, s);
      (id % 3 == 0 ? left : right).offer(id, s);
    }
    assertEquals(all.sorted(), right.merge(left).sorted());
  }

  @Test
  void nonPositiveKIsRejected() {
    assertEquals("topk given 0: must be >= 1",
        assertThrows(IllegalArgumentException.class, () -> new TopK(0, TopK.Kind.OPPONENT))
            .getMessage());
  }
}
