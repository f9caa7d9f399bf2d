package dev.ascribe.core.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One named array of a model's flat parameter vector: its shape and where it starts. A model's
 * blocks, in {@link ModelSpec#layout()} order, tile the vector without gaps.
 *
 * @param name such as {@code linear0.weight}
 * @param shape the array's shape, row-major in the flat vector
 * @param offset index of its first entry in the flat vector
 */
public record ParameterBlock(String name, long[] shape, int offset) implements Serializable {
  public ParameterBlock {
    shape = shape.clone();
  }

  /** Number of entries. */
  public int size() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return (int) n;
  }

  /** Index one past its last entry. */
  public int end() {
    return offset + size();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterBlock b && b.name.equals(name) && Arrays.equals(b.shape, shape)
        && b.offset == offset;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + offset;
  }

  /** "linear0.weight (128, 784) at 0". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(" (");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(") at ").append(offset).toString();
  }
}
