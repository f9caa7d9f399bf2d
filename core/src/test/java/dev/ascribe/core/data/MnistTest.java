package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real MNIST files in the shared data root; expected values from the data README. */
class MnistTest {
  private static Dataset train;
  private static Dataset test;
  private static Path root;

  @BeforeAll
  static void load() throws IOException {
    root = DataRoot.resolve(Optional.empty());
    train = Mnist.load(root, Mnist.Split.TRAIN);
    test = Mnist.load(root, Mnist.Split.TEST);
  }

  @Test
  void trainHasSixtyThousandDigitsWithKnownFirstLabels() {
    assertEquals("mnist/train", train.name());
    assertEquals(60000, train.size());
    assertEquals(784, train.dim());
    assertEquals(10, train.numClasses());
    assertArrayEquals(
        new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(train.labels(), 10));
    assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        counts(train));
  }

  @Test
  void testHasTenThousandDigitsWithReadmeLabelCounts() {
    assertEquals("mnist/test", test.name());
    assertEquals(10000, test.size());
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
        counts(test));
  }

  @Test
  void aRangeReadsExactlyThoseRecords() throws IOException {
    Dataset range = Mnist.loadRange(root, Mnist.Split.TRAIN, 59_990, 60_000);
    Dataset expected = train.range(59_990, 60_000);
    assertArrayEquals(expected.ids(), range.ids());
    assertArrayEquals(expected.labels(), range.labels());
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(expected.features(i), range.features(i));
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Mnist.loadRange(root, Mnist.Split.TEST, 9_990, 10_010));
    assertTrue(e.getMessage().contains("[9990, 10010)") && e.getMessage().contains("10000"),
        e.getMessage());
  }

  @Test
  void idsAreRecordIndices() {
    long[] ids = train.ids();
    for (int i = 0; i < ids.length; i++) {
      assertEquals(i, ids[i]);
    }
    assertEquals(9999, test.id(9999));
  }

  @Test
  void pixelsAreBytesOver255() {
    // Sums of the raw bytes, computed independently with python3's gzip module.
    assertEquals(27525, byteSum(train, 0));
    assertEquals(20920, byteSum(train, 59999));
    assertEquals(18454, byteSum(test, 0));
    float[] first = train.features(0);
    assertEquals(166, countNonZero(first));
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (int row = 0; row < train.size(); row += 997) {
      for (float p : train.features(row)) {
        min = Math.min(min, p);
        max = Math.max(max, p);
      }
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  /** The sum of an example's pixels times 255, checking that every pixel is exactly k/255f. */
  private static long byteSum(Dataset d, int row) {
    long sum = 0;
    for (float p : d.features(row)) {
      int k = Math.round(p * 255f);
      assertTrue(k >= 0 && k <= 255, "pixel " + p + " outside [0,1]");
      assertEquals(k / 255f, p, "pixel is not a byte value / 255");
      sum += k;
    }
    return sum;
  }

  private static int countNonZero(float[] values) {
    int n = 0;
    for (float v : values) {
      n += v != 0f ? 1 : 0;
    }
    return n;
  }

  private static int[] counts(Dataset d) {
    int[] counts = new int[d.numClasses()];
    for (int label : d.labels()) {
      counts[label]++;
    }
    return counts;
  }
}
