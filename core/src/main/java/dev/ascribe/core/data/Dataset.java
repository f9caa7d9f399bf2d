package dev.ascribe.core.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable in-memory labelled dataset: {@code n} examples, each a dense feature vector of
 * {@code dim} floats and an integer class label, identified by a stable example id.
 *
 * <p>Example ids are the 0-based record index in the source file (DESIGN.md), so a subset keeps
 * the ids of the records it holds. Features are stored row-major in one array ({@code n x dim}).
 *
 * <p>Serializable so that Spark can broadcast a (small) dataset to the tasks that train on it,
 * such as the ground-truth retraining tasks.
 */
public final class Dataset implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final long[] ids;
  private final float[] features;
  private final int[] labels;
  private final int dim;
  private final int numClasses;

  /**
   * @param name a short description used in messages and provenance (e.g. "mnist/train[0,5000)")
   * @param ids example ids, length n
   * @param features row-major features, length n * dim
   * @param labels class labels in [0, numClasses), length n
   * @param dim feature dimension
   * @param numClasses number of classes
   */
  public Dataset(
      String name, long[] ids, float[] features, int[] labels, int dim, int numClasses) {
    this.name = Objects.requireNonNull(name, "name");
    if (dim < 1) {
      throw new IllegalArgumentException("dataset " + name + ": dim given " + dim + ": must be >= 1");
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException(
          "dataset " + name + ": numClasses given " + numClasses + ": must be >= 2");
    }
    if (labels.length != ids.length || features.length != (long) ids.length * dim) {
      throw new IllegalArgumentException(
          "dataset " + name + ": " + ids.length + " ids, " + labels.length + " labels and "
              + features.length + " feature values do not agree with dim " + dim);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "dataset " + name + ": example " + ids[i] + " has label " + labels[i]
                + ": expected a class in [0, " + numClasses + ")");
      }
    }
    this.ids = ids;
    this.features = features;
    this.labels = labels;
    this.dim = dim;
    this.numClasses = numClasses;
  }

  public String name() {
    return name;
  }

  public int size() {
    return ids.length;
  }

  public int dim() {
    return dim;
  }

  public int numClasses() {
    return numClasses;
  }

  public long id(int row) {
    return ids[row];
  }

  public int label(int row) {
    return labels[row];
  }

  /** A copy of all example ids, in row order. */
  public long[] ids() {
    return ids.clone();
  }

  /** A copy of all labels, in row order. */
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of one example's features. */
  public float[] features(int row) {
    return Arrays.copyOfRange(features, row * dim, (row + 1) * dim);
  }

  /**
   * Copies the features of the given rows into {@code out} (row-major, rows.length x dim), so a
   * batch can be moved into native memory with one copy.
   */
  public void copyFeatures(int[] rows, float[] out) {
    if (out.length != rows.length * dim) {
      throw new IllegalArgumentException(
          "output buffer holds " + out.length + " floats: expected " + rows.length * dim);
    }
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(features, rows[k] * dim, out, k * dim, dim);
    }
  }

  /** The labels of the given rows. */
  public int[] labels(int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = labels[rows[k]];
    }
    return out;
  }

  /** The rows {@code [from, to)}, keeping their ids. */
  public Dataset range(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IllegalArgumentException(
          "dataset " + name + ": range [" + from + ", " + to + ") is outside [0, " + size() + ")");
    }
    int[] rows = new int[to - from];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = from + k;
    }
    return select(rows, name + "[" + from + "," + to + ")");
  }

  /** The given rows in the given order, keeping their ids. */
  public Dataset select(int[] rows, String newName) {
    long[] newIds = new long[rows.length];
    int[] newLabels = new int[rows.length];
    float[] newFeatures = new float[rows.length * dim];
    for (int k = 0; k < rows.length; k++) {
      if (rows[k] < 0 || rows[k] >= size()) {
        throw new IllegalArgumentException(
            "dataset " + name + ": row " + rows[k] + " is outside [0, " + size() + ")");
      }
      newIds[k] = ids[rows[k]];
      newLabels[k] = labels[rows[k]];
    }
    copyFeatures(rows, newFeatures);
    return new Dataset(newName, newIds, newFeatures, newLabels, dim, numClasses);
  }

  /** A copy of this dataset with some labels replaced (used for noisy-label experiments). */
  public Dataset withLabels(int[] newLabels, String newName) {
    return new Dataset(newName, ids, features, newLabels.clone(), dim, numClasses);
  }

  @Override
  public String toString() {
    return name + " (" + size() + " examples, dim " + dim + ", " + numClasses + " classes)";
  }
}
