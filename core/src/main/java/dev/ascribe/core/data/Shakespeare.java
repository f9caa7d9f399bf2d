package dev.ascribe.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Tiny Shakespeare (Karpathy's {@code input.txt}, the file nanoGPT's {@code shakespeare_char}
 * prepares) as fixed-length character sequences for a character-level language model.
 *
 * <ul>
 *   <li>Vocabulary: the sorted distinct characters of the whole file (65 for the shipped file);
 *       a character's token id is its index there, as in nanoGPT's {@code prepare.py}.
 *   <li>Splits: train is the first 90% of the characters ({@code floor(0.9 N)}), test the rest.
 *   <li>Record k of a split: the {@value #CONTEXT} + 1 characters starting at {@code k * CONTEXT};
 *       consecutive records overlap by one character (a record's last character is the next one's
 *       first), so every character of a split is predicted exactly once. A split of c characters
 *       has {@code (c - 1) / CONTEXT} records.
 *   <li>An example's features are its {@value #CONTEXT} + 1 token ids as floats; the model reads
 *       the first {@value #CONTEXT} and predicts each next one. Its label is the last token, a valid
 *       class that keeps every classifier-shaped tool working; the training targets are the shifted
 *       inputs (see the model's targets).
 * </ul>
 */
public final class Shakespeare {
  /** Context length T: characters a model reads per example. */
  public static final int CONTEXT = 32;

  /** Width of a record: T inputs and the last target. */
  public static final int DIM = CONTEXT + 1;

  /** Vocabulary size of the shipped file. */
  public static final int VOCABULARY = 65;

  /** The folder under the data root. */
  public static final String DIR = "shakespeare";

  /** The text file in {@link #DIR}. */
  public static final String FILE = "input.txt";

  private Shakespeare() {}

  /**
   * Records {@code [from, to)} of {@code split}, ids = record indices.
   *
   * @throws java.nio.file.NoSuchFileException naming the missing file
   * @throws MalformedDataException if the file's vocabulary is not {@value #VOCABULARY} characters
   * @throws IllegalArgumentException if the range is outside the split
   */
  public static Dataset loadRange(Path dataRoot, BuiltInData.Split split, int from, int to)
      throws IOException {
    Path file = dataRoot.resolve(DIR).resolve(FILE);
    DataRoot.requireFile(file, "Tiny Shakespeare text");
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    char[] vocabulary = vocabulary(text);
    if (vocabulary.length != VOCABULARY) {
      throw new MalformedDataException(file, "has " + vocabulary.length
          + " distinct characters: expected " + VOCABULARY + " (the shipped Tiny Shakespeare)");
    }
    int trainEnd = (int) Math.floor(0.9 * text.length());
    int start = split == BuiltInData.Split.TRAIN ? 0 : trainEnd;
    int end = split == BuiltInData.Split.TRAIN ? trainEnd : text.length();
    int records = (end - start - 1) / CONTEXT;
    if (from < 0 || to > records || from > to) {
      throw new IllegalArgumentException(DIR + "/" + split.id() + ": records [" + from + ", " + to
          + ") are outside [0, " + records + ")");
    }
    int n = to - from;
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = new float[n * DIM];
    for (int k = 0; k < n; k++) {
      int first = start + (from + k) * CONTEXT;
      ids[k] = from + k;
      for (int t = 0; t < DIM; t++) {
        features[k * DIM + t] = Arrays.binarySearch(vocabulary, text.charAt(first + t));
      }
      labels[k] = (int) features[k * DIM + CONTEXT];
    }
    return new Dataset(DIR + "/" + split.id() + "[" + from + "," + to + ")", ids, features, labels,
        DIM, VOCABULARY);
  }

  /** The sorted distinct characters of {@code text}: index = token id. */
  static char[] vocabulary(String text) {
    TreeSet<Character> distinct = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      distinct.add(text.charAt(i));
    }
    char[] sorted = new char[distinct.size()];
    int i = 0;
    for (char c : distinct) {
      sorted[i++] = c;
    }
    return sorted;
  }
}
