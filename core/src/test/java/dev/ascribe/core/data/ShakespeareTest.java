package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Tiny Shakespeare file; expected values from the data README and the text itself. */
class ShakespeareTest {
  private static Path root;
  private static char[] vocabulary;

  @BeforeAll
  static void load() throws IOException {
    root = DataRoot.resolve(Optional.empty());
    vocabulary = Shakespeare.vocabulary(Files.readString(
        root.resolve("shakespeare/input.txt"), StandardCharsets.ISO_8859_1));
  }

  @Test
  void theVocabularyIsTheSixtyFiveSortedCharacters() {
    assertEquals(65, vocabulary.length);
    assertEquals('\n', vocabulary[0]);
    assertEquals(' ', vocabulary[1]);
    assertEquals('z', vocabulary[64]);
    assertEquals(Shakespeare.VOCABULARY, BuiltInData.SHAKESPEARE.numClasses());
    assertEquals(33, BuiltInData.SHAKESPEARE.dim());
  }

  @Test
  void recordKHoldsTheTPlusOneCharactersFromKTimesT() throws IOException {
    Dataset d = BuiltInData.SHAKESPEARE.loadRange(root, BuiltInData.Split.TRAIN, 0, 2);
    assertEquals("First Citizen:\nBefore we proceed", decode(d, 0).substring(0, 32));
    assertEquals("First Citizen:\nBefore we proceed ", decode(d, 0));
    // Record 1 starts with record 0's last character: every character is predicted once.
    assertEquals(" any further, hear me speak.\n\nAll", decode(d, 1));
    assertEquals(1L, d.id(1));
    assertEquals((int) d.features(0)[32], d.label(0));
  }

  @Test
  void theTestSplitStartsAtNinetyPercentOfTheText() throws IOException {
    Dataset d = BuiltInData.SHAKESPEARE.loadRange(root, BuiltInData.Split.TEST, 0, 1);
    // floor(0.9 * 1,115,394) = 1,003,854.
    assertEquals("?\n\nGREMIO:\nGood morrow, neighbour", decode(d, 0));
    Dataset last = BuiltInData.SHAKESPEARE.loadRange(root, BuiltInData.Split.TEST, 3484, 3485);
    assertTrue(decode(last, 0).endsWith("nk'st\nWhile"));
  }

  @Test
  void aRangePastTheSplitFailsNamingIt() {
    // (1,003,854 - 1) / 32 = 31,370 training records.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BuiltInData.SHAKESPEARE.loadRange(root, BuiltInData.Split.TRAIN, 31_360, 31_371));
    assertEquals("shakespeare/train: records [31360, 31371) are outside [0, 31370)",
        e.getMessage());
  }

  private static String decode(Dataset d, int row) {
    StringBuilder sb = new StringBuilder();
    for (float id : d.features(row)) {
      sb.append(vocabulary[(int) id]);
    }
    return sb.toString();
  }
}
