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
