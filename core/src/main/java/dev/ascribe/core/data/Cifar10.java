package dev.ascribe.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 (Krizhevsky, <i>Learning Multiple Layers of Features from Tiny Images</i>, 2009) in
 * its binary version: files of concatenated 3073-byte records, each a label byte 0-9 followed by
 * 3072 pixel bytes (1024 red, then 1024 green, then 1024 blue, each plane 32x32 row-major).
 *
 * <p>Examples are the 3072 pixel bytes in file order scaled to [0,1] (byte/255f); ids are the
 * 0-based record index counted across the files in the order given (DESIGN.md).
 */
public final class Cifar10 {
  /** Number of classes (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck). */
  public static final int NUM_CLASSES = 10;

  /** Pixel bytes per record: 3 planes of 32x32. */
  public static final int DIM = 3 * 32 * 32;

  /** Bytes per record: the label byte and the pixels. */
  public static final int RECORD_BYTES = 1 + DIM;

  /** The folder under the data root that holds the batch files. */
  public static final String DIR = "cifar10";

  /** Class index of "cat", one half of the CIFAR-2 setting. */
  public static final int CAT = 3;

  /** Class index of "dog", the other half of the CIFAR-2 setting. */
  public static final int DOG = 5;

  // Records per read: about 200 KB, so a batch streams in a few dozen reads.
  private static final int RECORDS_PER_READ = 64;

  // Lookup table: pixel byte -> value/255f, so the conversion loop does no division.
  private static final float[] SCALE = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      SCALE[v] = v / 255f;
    }
  }

  private Cifar10() {}

  /**
   * Loads every {@code cifar10/data_batch_*.bin} under the data root, in file-name order.
   *
   * @param dataRoot the data root (see {@link DataRoot#resolve})
   * @return a dataset named {@code cifar10/train}
   * @throws NoSuchFileException if no training batch is found
   * @throws MalformedDataException if a batch is malformed
   * @throws IllegalArgumentException if two files hold the same batch (e.g. a partial and a full
   *     copy of {@code data_batch_1}), which would duplicate examples
   */
  public static Dataset loadTrain(Path dataRoot) throws IOException {
    return load(batchFiles(dataRoot, "data_batch_*.bin", "training batch"), DIR + "/train");
  }

  /**
   * Loads {@code cifar10/test_batch*.bin} under the data root.
   *
   * @param dataRoot the data root (see {@link DataRoot#resolve})
   * @return a dataset named {@code cifar10/test}
   * @throws NoSuchFileException if no test batch is found
   * @throws MalformedDataException if the batch is malformed
   * @throws IllegalArgumentException if more than one test batch file is present
   */
  public static Dataset loadTest(Path dataRoot) throws IOException {
    return load(batchFiles(dataRoot, "test_batch*.bin", "test batch"), DIR + "/test");
  }

  /**
   * The batch files under {@code <dataRoot>/cifar10} matching a glob, sorted by file name.
   *
   * @throws NoSuchFileException if none matches
   * @throws IllegalArgumentException if two files hold the same batch (same name up to the first
   *     dot, as in {@code data_batch_1.bin} and {@code data_batch_1.head1102.bin})
   */
  static List<Path> batchFiles(Path dataRoot, String glob, String what) throws IOException {
    Path dir = dataRoot.resolve(DIR);
    DataRoot.requireFile(dir, "CIFAR-10 folder holding " + glob);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(files::add);
    }
    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
    if (files.isEmpty()) {
      throw DataRoot.missing(dir.resolve(glob), "CIFAR-10 " + what + " (binary version)");
    }
    Map<String, Path> byBatch = new HashMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      Path other = byBatch.put(name.substring(0, name.indexOf('.')), file);
      if (other != null) {
        throw new IllegalArgumentException("two files hold the same CIFAR-10 batch: " + other
            + " and " + file + ": expected one file per batch; remove one of them");
      }
    }
    return files;
  }

  /**
   * Loads CIFAR-10 binary batch files.
   *
   * @param files the batch files (raw, not gzip); ids count records across them in this order
   * @param name the dataset name
   * @return the dataset, dim 3072, 10 classes
   * @throws MalformedDataException if a file is empty, compressed, not a whole number of records,
   *     or holds a label above 9
   */
  public static Dataset load(List<Path> files, String name) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "CIFAR-10 dataset " + name + ": no files given: expected at least one batch file");
    }
    long total = 0;
    int[] counts = new int[files.size()];
    for (int f = 0; f < files.size(); f++) {
      counts[f] = countRecords(files.get(f));
      total += counts[f];
    }
    if (total * DIM > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("CIFAR-10 dataset " + name + ": " + total
          + " records do not fit one in-memory Dataset: load fewer files at a time");
    }
    int n = (int) total;
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = new float[n * DIM];
    int row = 0;
    for (int f = 0; f < files.size(); f++) {
      readRecords(files.get(f), counts[f], row, labels, features);
      row += counts[f];
    }
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return new Dataset(name, ids, features, labels, DIM, NUM_CLASSES);
  }

  /**
   * Keeps the examples of two classes, relabelled {@code classA -> 0} and {@code classB -> 1},
   * keeping their ids and order (e.g. CIFAR-2: {@code twoClass(d, CAT, DOG, "cifar2/train")}).
   *
   * @throws IllegalArgumentException if the classes are equal or not classes of {@code d}
   */
  public static Dataset twoClass(Dataset d, int classA, int classB, String name) {
    if (classA == classB || classA < 0 || classB < 0
        || classA >= d.numClasses() || classB >= d.numClasses()) {
      throw new IllegalArgumentException("twoClass given classes " + classA + " and " + classB
          + ": expected two different classes in [0, " + d.numClasses() + ") of " + d.name());
    }
    int[] all = d.labels();
    int kept = 0;
    for (int label : all) {
      kept += label == classA || label == classB ? 1 : 0;
    }
    int[] rows = new int[kept];
    int[] labels = new int[kept];
    long[] ids = new long[kept];
    for (int i = 0, k = 0; i < all.length; i++) {
      if (all[i] == classA || all[i] == classB) {
        rows[k] = i;
        labels[k] = all[i] == classA ? 0 : 1;
        ids[k] = d.id(i);
        k++;
      }
    }
    float[] features = new float[kept * d.dim()];
    d.copyFeatures(rows, features);
    return new Dataset(name, ids, features, labels, d.dim(), 2);
  }

  /** Checks a file's size and first bytes, returning its record count. */
  private static int countRecords(Path file) throws IOException {
    DataRoot.requireFile(file, "CIFAR-10 binary batch file");
    long size = Files.size(file);
    if (size == 0) {
      throw new MalformedDataException(
          file, "empty: expected at least one " + RECORD_BYTES + "-byte record");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        throw new MalformedDataException(file, "gzip-compressed: expected the raw CIFAR-10 binary"
            + " format (" + RECORD_BYTES + "-byte records); gunzip it first");
      }
    }
    if (size % RECORD_BYTES != 0) {
      throw new MalformedDataException(file, "size " + size + " bytes is not a multiple of the "
          + RECORD_BYTES + "-byte record (1 label byte + " + DIM + " pixel bytes): "
          + size / RECORD_BYTES + " whole records and " + size % RECORD_BYTES
          + " bytes more; the file is truncated or not a CIFAR-10 binary batch");
    }
    if (size / RECORD_BYTES > Integer.MAX_VALUE) {
      throw new MalformedDataException(file, "size " + size + " bytes: too large for one batch");
    }
    return (int) (size / RECORD_BYTES);
  }

  /** Reads {@code count} records of one file into rows {@code first, first + count}. */
  private static void readRecords(Path file, int count, int first, int[] labels, float[] features)
      throws IOException {
    byte[] buf = new byte[RECORDS_PER_READ * RECORD_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int done = 0; done < count; ) {
        int want = Math.min(RECORDS_PER_READ, count - done);
        int got = in.readNBytes(buf, 0, want * RECORD_BYTES);
        if (got < want * RECORD_BYTES) { // the file shrank since its size was checked
          throw new MalformedDataException(file, "truncated while reading: expected " + count
              + " records, found only " + (done * (long) RECORD_BYTES + got) + " bytes");
        }
        for (int r = 0; r < want; r++) {
          int record = done + r;
          int off = r * RECORD_BYTES;
          int label = buf[off] & 0xff;
          if (label >= NUM_CLASSES) {
            throw new MalformedDataException(file, "record " + record + " (byte offset "
                + (long) record * RECORD_BYTES + ") has label " + label + ": expected a class 0.."
                + (NUM_CLASSES - 1));
          }
          int row = first + record;
          labels[row] = label;
          int base = row * DIM;
          for (int j = 0; j < DIM; j++) {
            features[base + j] = SCALE[buf[off + 1 + j] & 0xff];
          }
        }
        done += want;
      }
    }
  }
}
