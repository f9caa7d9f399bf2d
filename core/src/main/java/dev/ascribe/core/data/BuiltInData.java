package dev.ascribe.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every dataset shipped under the data root, in one place: the name a configuration's
 * {@code data.dataset} uses, an example's width and classes, and how a range of records of a split
 * is decoded. A new built-in dataset is one constant here.
 *
 * <p>Record ranges index each split in its own order (DESIGN.md: an example's id is its record
 * index), so {@code [offset, offset + count)} means the same rows however they are partitioned.
 */
public enum BuiltInData {
  /** MNIST digits, 28 x 28 grey pixels in [0, 1], 10 classes. */
  MNIST("mnist", Mnist.DIM, Mnist.NUM_CLASSES) {
    @Override
    public Dataset loadRange(Path dataRoot, Split split, int from, int to) throws IOException {
      return Mnist.loadRange(dataRoot, split == Split.TRAIN ? Mnist.Split.TRAIN : Mnist.Split.TEST,
          from, to);
    }
  },
  /**
   * The shipped partial CIFAR-10, 32 x 32 colour images as 3072 floats (C, H, W row-major) in
   * [0, 1], 10 classes: train = the data_batch files in name order (2,387 records), test = the
   * test_batch head (1,017 records); ids are record indices across the files ({@link Cifar10}).
   */
  CIFAR10("cifar10", Cifar10.DIM, Cifar10.NUM_CLASSES) {
    @Override
    public Dataset loadRange(Path dataRoot, Split split, int from, int to) throws IOException {
      return range(load(dataRoot, split), from, to, id() + "/" + split.id());
    }
  },
  /**
   * CIFAR-2, cat (relabelled 0) versus dog (relabelled 1), from the shipped CIFAR-10 records: a
   * record range indexes the filtered sequence of cat and dog records of the split (record k is
   * its k-th cat or dog), while each example keeps its CIFAR-10 record index as its id, so ids are
   * stable and name the same image in both datasets.
   */
  CIFAR2("cifar2", Cifar10.DIM, 2) {
    @Override
    public Dataset loadRange(Path dataRoot, Split split, int from, int to) throws IOException {
      Dataset pairs = Cifar10.twoClass(load(dataRoot, split), Cifar10.CAT, Cifar10.DOG,
          id() + "/" + split.id());
      return range(pairs, from, to, pairs.name());
    }
  },
  /**
   * Tiny Shakespeare as records of {@value Shakespeare#DIM} token ids ({@link Shakespeare}): the
   * context T = {@value Shakespeare#CONTEXT} is part of the dataset, so its width is fixed; the
   * {@value Shakespeare#VOCABULARY} characters are the classes.
   */
  SHAKESPEARE("shakespeare", Shakespeare.DIM, Shakespeare.VOCABULARY) {
    @Override
    public Dataset loadRange(Path dataRoot, Split split, int from, int to) throws IOException {
      return Shakespeare.loadRange(dataRoot, split, from, to);
    }
  };

  /** All records of a CIFAR-10 split (the shipped files are small: decoded whole). */
  private static Dataset load(Path dataRoot, Split split) throws IOException {
    return split == Split.TRAIN ? Cifar10.loadTrain(dataRoot) : Cifar10.loadTest(dataRoot);
  }

  /** Rows [from, to) of {@code d}, named {@code name[from,to)}; a clear error outside it. */
  private static Dataset range(Dataset d, int from, int to, String name) {
    if (from < 0 || to > d.size() || from > to) {
      throw new IllegalArgumentException("records [" + from + ", " + to + ") of " + name
          + ": expected a range inside [0, " + d.size() + "), the records shipped");
    }
    return d.select(java.util.stream.IntStream.range(from, to).toArray(),
        name + "[" + from + "," + to + ")");
  }

  /** The two splits every built-in dataset has. */
  public enum Split {
    TRAIN,
    TEST;

    /** The split written {@code name} ("train" or "test", any case); null for anything else. */
    public static Split parse(String name) {
      for (Split s : values()) {
        if (s.name().equalsIgnoreCase(name)) {
          return s;
        }
      }
      return null;
    }

    /** The name configurations write: "train" or "test". */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String id;
  private final int dim;
  private final int numClasses;

  BuiltInData(String id, int dim, int numClasses) {
    this.id = id;
    this.dim = dim;
    this.numClasses = numClasses;
  }

  /** The name in configurations ({@code data.dataset}) and provenance. */
  public String id() {
    return id;
  }

  /** Width of an example (floats per row). */
  public int dim() {
    return dim;
  }

  /** Number of classes (logits of a classifier over this data). */
  public int numClasses() {
    return numClasses;
  }

  /**
   * Records {@code [from, to)} of {@code split}, ids = record indices, decoding only those.
   *
   * @throws IllegalArgumentException if the range is outside the split
   * @throws java.nio.file.NoSuchFileException naming the missing file and how to set the data root
   */
  public abstract Dataset loadRange(Path dataRoot, Split split, int from, int to)
      throws IOException;

  /** The dataset named {@code id}; an IllegalArgumentException listing the names otherwise. */
  public static BuiltInData of(String id) {
    for (BuiltInData d : values()) {
      if (d.id.equals(id)) {
        return d;
      }
    }
    throw new IllegalArgumentException("dataset given " + id + ": expected " + names());
  }

  /** The dataset names, as an error message lists them. */
  public static String names() {
    List<String> ids = Arrays.stream(values()).map(BuiltInData::id).toList();
    return ids.size() == 1 ? ids.get(0)
        : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
  }
}
