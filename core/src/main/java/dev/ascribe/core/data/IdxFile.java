package dev.ascribe.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of the MNIST distribution (LeCun et al.): a big-endian int32 magic
 * number {@code 0x000008DD} (unsigned bytes, {@code DD} dimensions), one big-endian int32 size per
 * dimension, then the data. Files may be gzip-compressed or raw; compression is detected from the
 * gzip magic bytes {@code 1f 8b}, never from the file name.
 *
 * <p>Every read checks the magic number, the header, that the body holds exactly what the header
 * promises (no truncation, no trailing bytes) and reports problems as {@link
 * MalformedDataException}.
 */
public final class IdxFile {
  /** Magic number of an IDX file of unsigned-byte images (3 dimensions: count, rows, cols). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned-byte labels (1 dimension: count). */
  public static final int LABELS_MAGIC = 0x00000801;

  private static final int CHUNK = 1 << 16;

  // Lookup table: pixel byte -> value/255f, so the conversion loop does no division.
  private static final float[] SCALE = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      SCALE[v] = v / 255f;
    }
  }

  /**
   * Images read from an IDX file.
   *
   * @param count number of images
   * @param rows rows per image
   * @param cols columns per image
   * @param pixels row-major pixels scaled to [0,1] (byte/255f), {@code count x (rows * cols)}
   */
  public record Images(int count, int rows, int cols, float[] pixels) {}

  private IdxFile() {}

  /**
   * Reads an IDX unsigned-byte image file (magic 2051).
   *
   * @param file the file, gzip-compressed or raw
   * @return the images with pixels scaled to [0,1]
   * @throws MalformedDataException if the file is not a complete, well-formed IDX image file
   * @throws IOException if the file cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
   */
  public static Images readImages(Path file) throws IOException {
    return readImages(file, 0, -1);
  }

  /**
   * Reads records {@code [from, to)} of an IDX unsigned-byte image file, decoding only those (the
   * ones before are skipped, the ones after are not read): each Spark task reads its own range.
   * Only a full read ({@code to} = -1) checks that nothing follows the last record.
   *
   * @param to end of the range (exclusive), or -1 for all records
   * @return the images of the range, with {@code count} = the range's length
   * @throws IllegalArgumentException if the range lies outside the file's records
   */
  public static Images readImages(Path file, int from, int to) throws IOException {
    try (InputStream in = open(file)) {
      ByteBuffer header = readHeader(in, file, IMAGES_MAGIC, 3);
      int count = header.getInt(4);
      int rows = header.getInt(8);
      int cols = header.getInt(12);
      if (count < 0 || rows < 1 || cols < 1) {
        throw new MalformedDataException(file, "header promises " + count + " images of " + rows
            + "x" + cols + ": expected a count >= 0 and rows, cols >= 1");
      }
      boolean all = to == -1;
      int end = all ? count : to;
      if (from < 0 || end > count || from > end) {
        throw new IllegalArgumentException(file + ": records [" + from + ", " + end
            + ") asked for, but the file holds " + count);
      }
      long dim = (long) rows * cols;
      long bytes = (end - from) * dim;
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new MalformedDataException(file, "header promises " + count + " images of " + rows
            + "x" + cols + " (" + bytes + " bytes of pixels): more than one Java array can hold");
      }
      String promise = "header promises " + count + " images of " + rows + "x" + cols + " ("
          + (long) count * dim + " bytes of pixels)";
      long skip = from * dim;
      try {
        in.skipNBytes(skip);
      } catch (EOFException e) {
        throw new MalformedDataException(file, "truncated: " + promise + ", file ends before"
            + " record " + from, e);
      }
      float[] pixels = new float[(int) bytes];
      byte[] buf = new byte[CHUNK];
      int done = 0;
      while (done < bytes) {
        int want = (int) Math.min(CHUNK, bytes - done);
        int got = in.readNBytes(buf, 0, want);
        for (int i = 0; i < got; i++) {
          pixels[done + i] = SCALE[buf[i] & 0xff];
        }
        done += got;
        if (got < want) {
          throw new MalformedDataException(
              file, "truncated: " + promise + ", file holds only " + (skip + done));
        }
      }
      if (all) {
        requireEnd(in, file, promise);
      }
      return new Images(end - from, rows, cols, pixels);
    } catch (EOFException | ZipException e) {
      throw corruptGzip(file, e);
    }
  }

  /**
   * Reads an IDX unsigned-byte label file (magic 2049). Label values are not range-checked here:
   * the valid classes depend on the dataset.
   *
   * @param file the file, gzip-compressed or raw
   * @return the labels, one per record, each in [0, 255]
   * @throws MalformedDataException if the file is not a complete, well-formed IDX label file
   * @throws IOException if the file cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
   */
  public static int[] readLabels(Path file) throws IOException {
    try (InputStream in = open(file)) {
      ByteBuffer header = readHeader(in, file, LABELS_MAGIC, 1);
      int count = header.getInt(4);
      if (count < 0) {
        throw new MalformedDataException(
            file, "header promises " + count + " labels: expected a count >= 0");
      }
      String promise = "header promises " + count + " labels (" + count + " bytes)";
      byte[] raw = in.readNBytes(count);
      if (raw.length < count) {
        throw new MalformedDataException(
            file, "truncated: " + promise + ", file holds only " + raw.length);
      }
      requireEnd(in, file, promise);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    } catch (EOFException | ZipException e) {
      throw corruptGzip(file, e);
    }
  }

  /** Opens a file, decompressing it if it starts with the gzip magic bytes. */
  static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, CHUNK) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Reads the magic number and the {@code dims} sizes; the buffer holds them at offsets 0, 4, ....
   * The magic number is checked before the sizes are read, so a short file of the wrong kind is
   * reported as the wrong kind rather than as a truncated header.
   */
  private static ByteBuffer readHeader(InputStream in, Path file, int magic, int dims)
      throws IOException {
    int length = 4 * (1 + dims);
    String what = describe(magic);
    byte[] header = in.readNBytes(4);
    if (header.length == 4) {
      int found = ByteBuffer.wrap(header).getInt(); // big-endian, as IDX is
      if (found != magic) {
        String hint = found == IMAGES_MAGIC || found == LABELS_MAGIC
            ? "; this is a file of " + describe(found) + ": were the images and labels swapped?"
            : "";
        throw new MalformedDataException(file, String.format(
            "magic number 0x%08x, expected 0x%08x (%s)%s", found, magic, what, hint));
      }
      byte[] sizes = in.readNBytes(length - 4);
      header = Arrays.copyOf(header, 4 + sizes.length);
      System.arraycopy(sizes, 0, header, 4, sizes.length);
    }
    if (header.length < length) {
      throw new MalformedDataException(file, "truncated header: expected " + length
          + " bytes (magic number and " + dims + " sizes of " + what + "), file holds only "
          + header.length);
    }
    return ByteBuffer.wrap(header);
  }

  private static String describe(int magic) {
    return magic == IMAGES_MAGIC ? "IDX unsigned-byte images" : "IDX unsigned-byte labels";
  }

  /** Trailing bytes mean the header and the body disagree, so the file is not what it claims. */
  private static void requireEnd(InputStream in, Path file, String promise) throws IOException {
    if (in.read() != -1) {
      long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
      String bytes = extra == 1 ? " trailing byte" : " trailing bytes";
      throw new MalformedDataException(file, extra + bytes + " after the data: " + promise
          + " and expected the file to end there");
    }
  }

  private static MalformedDataException corruptGzip(Path file, IOException e) {
    return new MalformedDataException(file, "gzip stream is truncated or corrupt ("
        + e.getMessage() + "): expected a complete gzip-compressed IDX file; download it again", e);
  }
}
