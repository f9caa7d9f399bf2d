package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic IDX files: both encodings, and every malformation the reader must name. */
class IdxFileTest {
  @TempDir Path dir;

  // Three 2x3 images; pixel values chosen so that v/255 is easy to check.
  private static final byte[] PIXELS = {
    0, 51, 102, (byte) 153, (byte) 204, (byte) 255,
    1, 2, 3, 4, 5, 6,
    (byte) 255, 0, 0, 0, 0, (byte) 128
  };
  private static final byte[] LABELS = {7, 0, 9};

  @Test
  void readsGzipAndRawAlikeWhateverTheFileName() throws IOException {
    // Raw bytes under a .gz name and gzip bytes under a plain name: detection is by content.
    Path raw = write("raw-images.gz", images(3, 2, 3, PIXELS));
    Path gz = write("gz-images", gzip(images(3, 2, 3, PIXELS)));
    IdxFile.Images a = IdxFile.readImages(raw);
    IdxFile.Images b = IdxFile.readImages(gz);
    assertEquals(3, a.count());
    assertEquals(2, a.rows());
    assertEquals(3, a.cols());
    assertArrayEquals(a.pixels(), b.pixels());
    assertEquals(18, a.pixels().length);
    assertEquals(0f, a.pixels()[0]);
    assertEquals(0.2f, a.pixels()[1], 1e-7f);
    assertEquals(1f, a.pixels()[5]);
    assertEquals(128 / 255f, a.pixels()[17]);
    assertArrayEquals(new int[] {7, 0, 9}, IdxFile.readLabels(write("l", gzip(labels(3, LABELS)))));
    assertArrayEquals(new int[] {7, 0, 9}, IdxFile.readLabels(write("l.raw", labels(3, LABELS))));
  }

  @Test
  void mnistLoadBuildsTheDatasetFromAnyImageSize() throws IOException {
    Path images = write("i", gzip(images(3, 2, 3, PIXELS)));
    Path labels = write("l", labels(3, LABELS));
    Dataset d = Mnist.load(images, labels, "tiny");
    assertEquals("tiny", d.name());
    assertEquals(3, d.size());
    assertEquals(6, d.dim());
    assertArrayEquals(new long[] {0, 1, 2}, d.ids());
    assertArrayEquals(new int[] {7, 0, 9}, d.labels());
    assertEquals(4 / 255f, d.features(1)[3]);
  }

  @Test
  void mnistLoadFindsSplitFilesUnderTheDataRoot() throws IOException {
    Files.createDirectories(dir.resolve("mnist"));
    write("mnist/t10k-images-idx3-ubyte.gz", gzip(images(3, 2, 3, PIXELS)));
    write("mnist/t10k-labels-idx1-ubyte.gz", gzip(labels(3, LABELS)));
    Dataset d = Mnist.load(dir, Mnist.Split.TEST);
    assertEquals("mnist/test", d.name());
    assertArrayEquals(new int[] {7, 0, 9}, d.labels());
  }

  @Test
  void wrongMagicNamesFileFoundAndExpected() throws IOException {
    Path file = write("train-images-idx3-ubyte.gz", gzip(labels(3, LABELS)));
    String msg = malformed(() -> IdxFile.readImages(file));
    assertTrue(msg.startsWith(file + ": "), msg);
    assertContains(msg, "magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte images)");
    assertContains(msg, "swapped");
    Path other = write("junk", new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0});
    assertContains(malformed(() -> IdxFile.readLabels(other)),
        "magic number 0x12345678, expected 0x00000801 (IDX unsigned-byte labels)");
  }

  @Test
  void truncatedPixelsNameThePromiseAndWhatIsThere() throws IOException {
    byte[] full = images(3, 2, 3, PIXELS);
    Path file = write("images", Arrays.copyOf(full, 16 + 10));
    String msg = malformed(() -> IdxFile.readImages(file));
    assertContains(msg, file.toString());
    assertContains(msg, "truncated: header promises 3 images of 2x3 (18 bytes of pixels),"
        + " file holds only 10");
    Path gz = write("images.gz", gzip(Arrays.copyOf(full, 16 + 10)));
    assertContains(malformed(() -> IdxFile.readImages(gz)), "file holds only 10");
  }

  @Test
  void truncatedLabelsNameThePromiseAndWhatIsThere() throws IOException {
    Path file = write("labels", Arrays.copyOf(labels(3, LABELS), 8 + 2));
    String msg = malformed(() -> IdxFile.readLabels(file));
    assertContains(msg, file.toString());
    assertContains(msg, "header promises 3 labels (3 bytes), file holds only 2");
  }

  @Test
  void truncatedHeaderNamesExpectedAndFoundLength() throws IOException {
    Path file = write("images", Arrays.copyOf(images(3, 2, 3, PIXELS), 10));
    String msg = malformed(() -> IdxFile.readImages(file));
    assertContains(msg, file.toString());
    assertContains(msg, "truncated header: expected 16 bytes");
    assertContains(msg, "file holds only 10");
  }

  @Test
  void truncatedGzipStreamIsMalformed() throws IOException {
    byte[] gz = gzip(images(3, 2, 3, PIXELS));
    Path file = write("images.gz", Arrays.copyOf(gz, gz.length - 12));
    String msg = malformed(() -> IdxFile.readImages(file));
    assertContains(msg, file.toString());
    assertContains(msg, "gzip stream is truncated or corrupt");
  }

  @Test
  void trailingBytesAreAnError() throws IOException {
    byte[] full = images(3, 2, 3, PIXELS);
    Path file = write("images", Arrays.copyOf(full, full.length + 5));
    String msg = malformed(() -> IdxFile.readImages(file));
    assertContains(msg, file.toString());
    assertContains(msg, "5 trailing bytes");
    assertContains(msg, "3 images of 2x3");
    Path labels = write("labels.gz", gzip(Arrays.copyOf(labels(3, LABELS), 8 + 4)));
    assertContains(malformed(() -> IdxFile.readLabels(labels)), "1 trailing byte after the data");
  }

  @Test
  void negativeCountIsMalformed() throws IOException {
    Path file = write("images", images(-1, 2, 3, new byte[0]));
    assertContains(malformed(() -> IdxFile.readImages(file)),
        "header promises -1 images of 2x3: expected a count >= 0");
  }

  @Test
  void countMismatchNamesBothFilesAndCounts() throws IOException {
    Path images = write("imgs.gz", gzip(images(3, 2, 3, PIXELS)));
    Path labels = write("lbls.gz", gzip(labels(2, Arrays.copyOf(LABELS, 2))));
    String msg = malformed(() -> Mnist.load(images, labels, "x"));
    assertContains(msg, images.toString());
    assertContains(msg, labels.toString());
    assertContains(msg, "holds 3 images");
    assertContains(msg, "holds 2 labels");
  }

  @Test
  void labelOutsideDigitsNamesFileRecordAndValue() throws IOException {
    Path images = write("imgs", images(3, 2, 3, PIXELS));
    Path labels = write("lbls", labels(3, new byte[] {1, 11, 2}));
    String msg = malformed(() -> Mnist.load(images, labels, "x"));
    assertContains(msg, labels.toString());
    assertContains(msg, "label 11 at record 1: expected a digit class 0..9");
  }

  @Test
  void missingFileNamesPathDatasetFileAndHowToSetTheRoot() throws IOException {
    Files.createDirectories(dir.resolve("mnist"));
    write("mnist/train-labels-idx1-ubyte.gz", gzip(labels(3, LABELS)));
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> Mnist.load(dir, Mnist.Split.TRAIN));
    String msg = e.getMessage();
    Path expected = dir.resolve("mnist/train-images-idx3-ubyte.gz").toAbsolutePath();
    assertContains(msg, expected.toString());
    assertContains(msg, "MNIST train images");
    assertContains(msg, "--data");
    assertContains(msg, "ASCRIBE_DATA_DIR");
  }

  /** An IDX image file: magic, count, rows, cols, pixels. */
  static byte[] images(int count, int rows, int cols, byte[] pixels) {
    return ByteBuffer.allocate(16 + pixels.length).putInt(IdxFile.IMAGES_MAGIC).putInt(count)
        .putInt(rows).putInt(cols).put(pixels).array();
  }

  /** An IDX label file: magic, count, labels. */
  static byte[] labels(int count, byte[] labels) {
    return ByteBuffer.allocate(8 + labels.length).putInt(IdxFile.LABELS_MAGIC).putInt(count)
        .put(labels).array();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static String malformed(org.junit.jupiter.api.function.Executable read) {
    return assertThrows(MalformedDataException.class, read).getMessage();
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
  }
}
