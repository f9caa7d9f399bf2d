package dev.ascribe.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The MNIST handwritten digits (LeCun, Cortes and Burges), read from the four IDX files of the
 * original distribution under {@code <data root>/mnist/}.
 *
 * <p>Examples are 28x28 grey images flattened row-major to 784 floats in [0,1] (byte/255f, no
 * mean/std normalization), labels are the digits 0-9, and example ids are the 0-based record
 * index in the files (DESIGN.md).
 */
public final class Mnist {
  /** Number of classes (the digits 0-9). */
  public static final int NUM_CLASSES = 10;

  /** Width of an example: 28 x 28 pixels. */
  public static final int DIM = 28 * 28;

  /** The folder under the data root that holds the IDX files. */
  public static final String DIR = "mnist";

  /** The two splits of the original distribution. */
  public enum Split {
    /** 60000 training examples. */
    TRAIN("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60_000),
    /** 10000 test examples. */
    TEST("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10_000);

    private final String imagesFile;
    private final String labelsFile;
    private final int records;

    Split(String imagesFile, String labelsFile, int records) {
      this.imagesFile = imagesFile;
      this.labelsFile = labelsFile;
      this.records = records;
    }

    /** The number of records of this split in the original distribution. */
    public int records() {
      return records;
    }

    /** The file name of this split's images under {@code mnist/}. */
    public String imagesFile() {
      return imagesFile;
    }

    /** The file name of this split's labels under {@code mnist/}. */
    public String labelsFile() {
      return labelsFile;
    }

    /** The dataset name, {@code mnist/train} or {@code mnist/test}. */
    public String datasetName() {
      return DIR + "/" + name().toLowerCase(Locale.ROOT);
    }
  }

  private Mnist() {}

  /**
   * Loads one split from {@code <dataRoot>/mnist/}.
   *
   * @param dataRoot the data root (see {@link DataRoot#resolve})
   * @param split which split
   * @return a dataset named {@code mnist/train} or {@code mnist/test}, dim 784, 10 classes
   * @throws java.nio.file.NoSuchFileException if a file is missing; the message names the path and
   *     how to set the data root
   * @throws MalformedDataException if a file is malformed or the two files disagree
   */
  public static Dataset load(Path dataRoot, Split split) throws IOException {
    Path[] files = requireFiles(dataRoot, split);
    return load(files[0], files[1], split.datasetName());
  }

  /**
   * Loads records {@code [from, to)} of a split, decoding only those images; ids stay the record
   * indices. This is how each Spark task reads its share of a built-in dataset.
   */
  public static Dataset loadRange(Path dataRoot, Split split, int from, int to)
      throws IOException {
    Path[] files = requireFiles(dataRoot, split);
    Path images = files[0];
    Path labels = files[1];
    int[] all = checkedLabels(labels);
    IdxFile.Images range = IdxFile.readImages(images, from, to);
    if (to > all.length) {
      throw new MalformedDataException(labels, "holds " + all.length + " labels but records ["
          + from + ", " + to + ") were asked for");
    }
    long[] ids = new long[to - from];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = from + i;
    }
    return new Dataset(split.datasetName() + "[" + from + "," + to + ")", ids, range.pixels(),
        java.util.Arrays.copyOfRange(all, from, to), range.rows() * range.cols(), NUM_CLASSES);
  }

  /** The split's images and labels files, each checked to exist with a message naming it. */
  private static Path[] requireFiles(Path dataRoot, Split split) throws IOException {
    Path dir = dataRoot.resolve(DIR);
    Path images = dir.resolve(split.imagesFile());
    Path labels = dir.resolve(split.labelsFile());
    String what = "MNIST " + split.name().toLowerCase(Locale.ROOT);
    DataRoot.requireFile(images, what + " images (IDX, " + split.imagesFile() + ")");
    DataRoot.requireFile(labels, what + " labels (IDX, " + split.labelsFile() + ")");
    return new Path[] {images, labels};
  }

  private static int[] checkedLabels(Path labelsFile) throws IOException {
    int[] labels = IdxFile.readLabels(labelsFile);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= NUM_CLASSES) {
        throw new MalformedDataException(labelsFile, "label " + labels[i] + " at record " + i
            + ": expected a digit class 0.." + (NUM_CLASSES - 1));
      }
    }
    return labels;
  }

  /**
   * Loads MNIST-format images and labels from explicit files (also fits look-alikes such as
   * Fashion-MNIST). Images may have any size; the dimension is rows * cols.
   *
   * @param imagesFile IDX unsigned-byte images (gzip or raw)
   * @param labelsFile IDX unsigned-byte labels with values 0-9 (gzip or raw)
   * @param name the dataset name
   * @return the dataset, ids 0..n-1 = record index
   * @throws MalformedDataException if a file is malformed, a label is outside 0-9, or the image
   *     and label counts differ
   */
  public static Dataset load(Path imagesFile, Path labelsFile, String name) throws IOException {
    // Labels first: the file is small, so a bad label file fails before 47 MB are decoded.
    int[] labels = checkedLabels(labelsFile);
    IdxFile.Images images = IdxFile.readImages(imagesFile);
    if (images.count() != labels.length) {
      throw new MalformedDataException(imagesFile, "holds " + images.count()
          + " images but labels file " + labelsFile + " holds " + labels.length
          + " labels: expected one label per image; are the two files from the same split?");
    }
    long[] ids = new long[labels.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    return new Dataset(
        name, ids, images.pixels(), labels, images.rows() * images.cols(), NUM_CLASSES);
  }
}
