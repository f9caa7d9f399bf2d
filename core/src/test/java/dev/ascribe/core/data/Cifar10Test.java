package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped partial CIFAR-10 batches (values from the data README) and synthetic bad files. */
class Cifar10Test {
  private static Path root;

  @TempDir Path dir;

  @BeforeAll
  static void findData() {
    root = DataRoot.resolve(Optional.empty());
  }

  @Test
  void dataBatch1HasKnownLabelsAndPixels() throws IOException {
    Dataset d = Cifar10.load(List.of(batch("data_batch_1.head1102.bin")), "b1");
    assertEquals("b1", d.name());
    assertEquals(1102, d.size());
    assertEquals(3072, d.dim());
    assertEquals(10, d.numClasses());
    assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, first10(d));
    assertArrayEquals(new int[] {107, 123, 109, 106, 106, 95, 121, 110, 109, 116}, counts(d));
    // The first red pixels of records 0 and 1, as published.
    assertArrayEquals(new int[] {59, 43, 50}, bytes(d.features(0), 0, 3));
    assertArrayEquals(new int[] {154, 126, 105}, bytes(d.features(1), 0, 3));
  }

  @Test
  void dataBatch4HasKnownFirstLabels() throws IOException {
    Dataset d = Cifar10.load(List.of(batch("data_batch_4.head1285.bin")), "b4");
    assertEquals(1285, d.size());
    assertArrayEquals(new int[] {0, 6, 0, 2, 7, 2, 1, 2, 4, 1}, first10(d));
    assertArrayEquals(new int[] {121, 135, 144, 113, 135, 144, 112, 121, 134, 126}, counts(d));
  }

  @Test
  void loadTrainConcatenatesBatchesInNameOrderWithRunningIds() throws IOException {
    Dataset d = Cifar10.loadTrain(root);
    assertEquals("cifar10/train", d.name());
    assertEquals(1102 + 1285, d.size());
    long[] ids = d.ids();
    for (int i = 0; i < ids.length; i++) {
      assertEquals(i, ids[i]);
    }
    assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, first10(d));
    int[] batch4Start = Arrays.copyOfRange(d.labels(), 1102, 1112);
    assertArrayEquals(new int[] {0, 6, 0, 2, 7, 2, 1, 2, 4, 1}, batch4Start);
  }

  @Test
  void loadTestReadsTheTestBatch() throws IOException {
    Dataset d = Cifar10.loadTest(root);
    assertEquals("cifar10/test", d.name());
    assertEquals(1017, d.size());
    assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, first10(d));
    assertArrayEquals(new int[] {105, 93, 100, 104, 92, 87, 114, 102, 110, 110}, counts(d));
  }

  @Test
  void idsCountAcrossFilesInTheGivenOrder() throws IOException {
    Path a = Files.write(dir.resolve("a.bin"), records(new int[] {1, 2}));
    Path b = Files.write(dir.resolve("b.bin"), records(new int[] {3}));
    Dataset d = Cifar10.load(List.of(b, a), "ba");
    assertArrayEquals(new long[] {0, 1, 2}, d.ids());
    assertArrayEquals(new int[] {3, 1, 2}, d.labels());
    // records() writes pixel j of record r as (r * 7 + j) mod 256.
    assertEquals(5 / 255f, d.features(0)[5]);
    assertEquals(((7 + 3071) % 256) / 255f, d.features(2)[3071]);
  }

  @Test
  void sizeNotAMultipleOfTheRecordNamesFileSizeAndRecordSize() throws IOException {
    byte[] two = records(new int[] {1, 2});
    Path file = Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(two, two.length + 5));
    MalformedDataException e = assertThrows(
        MalformedDataException.class, () -> Cifar10.load(List.of(file), "x"));
    assertEquals(file, e.file());
    assertContains(e.getMessage(), file.toString());
    assertContains(e.getMessage(), "size 6151 bytes is not a multiple of the 3073-byte record");
    assertContains(e.getMessage(), "2 whole records and 5 bytes more");
  }

  @Test
  void labelAboveNineNamesFileAndRecord() throws IOException {
    Path good = Files.write(dir.resolve("good.bin"), records(new int[] {0}));
    Path bad = Files.write(dir.resolve("bad.bin"), records(new int[] {4, 10, 2}));
    String msg = assertThrows(MalformedDataException.class,
        () -> Cifar10.load(List.of(good, bad), "x")).getMessage();
    assertContains(msg, bad.toString());
    assertContains(msg, "record 1 (byte offset 3073) has label 10: expected a class 0..9");
  }

  @Test
  void emptyAndGzipFilesAreRejected() throws IOException {
    Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
    assertContains(assertThrows(MalformedDataException.class,
        () -> Cifar10.load(List.of(empty), "x")).getMessage(), empty + ": empty");
    Path gz = Files.write(dir.resolve("gz.bin"), IdxFileTest.gzip(records(new int[] {1})));
    assertContains(assertThrows(MalformedDataException.class,
        () -> Cifar10.load(List.of(gz), "x")).getMessage(), gz + ": gzip-compressed");
  }

  @Test
  void missingBatchesNamePatternAndHowToSetTheRoot() throws IOException {
    Files.createDirectories(dir.resolve("cifar10"));
    Files.write(dir.resolve("cifar10/test_batch.bin"), records(new int[] {1}));
    String msg = assertThrows(NoSuchFileException.class, () -> Cifar10.loadTrain(dir)).getMessage();
    assertContains(msg, dir.resolve("cifar10").resolve("data_batch_*.bin").toString());
    assertContains(msg, "--data");
    assertContains(msg, "ASCRIBE_DATA_DIR");
    assertEquals(1, Cifar10.loadTest(dir).size());
  }

  @Test
  void twoCopiesOfOneBatchAreRejected() throws IOException {
    Files.createDirectories(dir.resolve("cifar10"));
    Files.write(dir.resolve("cifar10/data_batch_1.bin"), records(new int[] {1}));
    Files.write(dir.resolve("cifar10/data_batch_1.head1.bin"), records(new int[] {1}));
    String msg =
        assertThrows(IllegalArgumentException.class, () -> Cifar10.loadTrain(dir)).getMessage();
    assertContains(msg, "data_batch_1.bin");
    assertContains(msg, "data_batch_1.head1.bin");
  }

  @Test
  void twoClassKeepsIdsAndMapsLabels() throws IOException {
    Path file = Files.write(dir.resolve("x.bin"), records(new int[] {5, 0, 3, 3, 9, 5}));
    Dataset all = Cifar10.load(List.of(file), "x");
    Dataset two = Cifar10.twoClass(all, Cifar10.CAT, Cifar10.DOG, "x2");
    assertEquals("x2", two.name());
    assertEquals(2, two.numClasses());
    assertArrayEquals(new long[] {0, 2, 3, 5}, two.ids());
    assertArrayEquals(new int[] {1, 0, 0, 1}, two.labels());
    assertArrayEquals(all.features(3), two.features(2));
    assertArrayEquals(all.features(5), two.features(3));
    assertThrows(IllegalArgumentException.class, () -> Cifar10.twoClass(all, 3, 3, "bad"));
    assertThrows(IllegalArgumentException.class, () -> Cifar10.twoClass(all, 3, 10, "bad"));
  }

  @Test
  void twoClassOnTheRealTestBatch() throws IOException {
    Dataset test = Cifar10.loadTest(root);
    Dataset catsDogs = Cifar10.twoClass(test, Cifar10.CAT, Cifar10.DOG, "cifar2/test");
    assertEquals(104 + 87, catsDogs.size());
    assertEquals(104, catsDogs.size() - Arrays.stream(catsDogs.labels()).sum());
    for (int row = 0; row < catsDogs.size(); row++) {
      int original = test.label((int) catsDogs.id(row));
      assertEquals(original == Cifar10.CAT ? 0 : 1, catsDogs.label(row));
      assertTrue(original == Cifar10.CAT || original == Cifar10.DOG);
    }
  }

  /** Synthetic records with the given labels; pixel j of record r is (r * 7 + j) mod 256. */
  private static byte[] records(int[] labels) {
    byte[] out = new byte[labels.length * Cifar10.RECORD_BYTES];
    for (int r = 0; r < labels.length; r++) {
      out[r * Cifar10.RECORD_BYTES] = (byte) labels[r];
      for (int j = 0; j < Cifar10.DIM; j++) {
        out[r * Cifar10.RECORD_BYTES + 1 + j] = (byte) ((r * 7 + j) % 256);
      }
    }
    return out;
  }

  private static Path batch(String name) {
    return root.resolve("cifar10").resolve(name);
  }

  private static int[] first10(Dataset d) {
    return Arrays.copyOf(d.labels(), 10);
  }

  private static int[] counts(Dataset d) {
    int[] counts = new int[d.numClasses()];
    for (int label : d.labels()) {
      counts[label]++;
    }
    return counts;
  }

  private static int[] bytes(float[] pixels, int from, int to) {
    int[] out = new int[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = Math.round(pixels[i] * 255f);
    }
    return out;
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
  }
}
