package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link BuiltInData} CIFAR constants over the shipped records: counts per split, the cat/dog
 * relabelling of cifar2, and that its ranges index the filtered records while ids stay CIFAR-10
 * record indices. Counts were taken from the label bytes of the files (data README).
 */
class BuiltInCifarTest {
  private static Path root;

  @BeforeAll
  static void findData() {
    root = DataRoot.resolve(Optional.empty());
  }

  @Test
  void cifar10HasAllShippedRecords() throws IOException {
    Dataset train = BuiltInData.CIFAR10.loadRange(root, BuiltInData.Split.TRAIN, 0, 2387);
    Dataset test = BuiltInData.CIFAR10.loadRange(root, BuiltInData.Split.TEST, 0, 1017);
    assertEquals(2387, train.size());
    assertEquals(1017, test.size());
    assertEquals(3072, BuiltInData.CIFAR10.dim());
    assertEquals(10, BuiltInData.CIFAR10.numClasses());
    // The second file's first record follows the first file's 1,102 records.
    Dataset tail = BuiltInData.CIFAR10.loadRange(root, BuiltInData.Split.TRAIN, 1102, 1104);
    assertArrayEquals(new long[] {1102, 1103}, tail.ids());
    assertArrayEquals(new int[] {0, 6}, tail.labels());
    assertThrows(IllegalArgumentException.class,
        () -> BuiltInData.CIFAR10.loadRange(root, BuiltInData.Split.TRAIN, 0, 2388));
  }

  @Test
  void cifar2KeepsCatsAndDogsRelabelledWithTheirRecordIds() throws IOException {
    Dataset all10 = BuiltInData.CIFAR10.loadRange(root, BuiltInData.Split.TRAIN, 0, 2387);
    Dataset train = BuiltInData.CIFAR2.loadRange(root, BuiltInData.Split.TRAIN, 0, 458);
    Dataset test = BuiltInData.CIFAR2.loadRange(root, BuiltInData.Split.TEST, 0, 191);
    // 106 + 95 cats and dogs in data_batch_1's head, 113 + 144 in data_batch_4's; 104 + 87 in test.
    assertEquals(458, train.size());
    assertEquals(191, test.size());
    assertEquals(2, train.numClasses());
    int dogs = 0;
    for (int i = 0; i < train.size(); i++) {
      int row = (int) train.id(i);
      int original = all10.label(row);
      assertTrue(original == Cifar10.CAT || original == Cifar10.DOG, "record " + row);
      assertEquals(original == Cifar10.DOG ? 1 : 0, train.label(i));
      assertArrayEquals(all10.features(row), train.features(i));
      dogs += train.label(i);
    }
    assertEquals(95 + 144, dogs);
    // The first cat/dog records of data_batch_1: 9, 17, 21, 26, 27; range [2, 4) is the 3rd and 4th.
    assertArrayEquals(new long[] {9, 17, 21, 26, 27}, BuiltInData.CIFAR2
        .loadRange(root, BuiltInData.Split.TRAIN, 0, 5).ids());
    assertArrayEquals(new long[] {21, 26}, BuiltInData.CIFAR2
        .loadRange(root, BuiltInData.Split.TRAIN, 2, 4).ids());
    assertArrayEquals(new long[] {0, 8, 12, 16, 24}, BuiltInData.CIFAR2
        .loadRange(root, BuiltInData.Split.TEST, 0, 5).ids());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BuiltInData.CIFAR2.loadRange(root, BuiltInData.Split.TEST, 150, 200));
    assertTrue(e.getMessage().contains("cifar2/test") && e.getMessage().contains("[0, 191)"),
        e.getMessage());
  }

  @Test
  void namesListTheCifarSets() {
    assertEquals(BuiltInData.CIFAR2, BuiltInData.of("cifar2"));
    assertTrue(BuiltInData.names().contains("cifar10"), BuiltInData.names());
  }
}
