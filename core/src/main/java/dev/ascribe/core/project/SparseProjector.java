package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The {@link Projector} of a {@link SparseProjection}: copies a batch of whole gradients to the
 * Java heap and sends each coordinate to its buckets ({@link SparseSketch}). Cost s·d per row; no
 * native memory is held between batches. Not thread-safe.
 */
final class SparseProjector implements Projector {
  private final SparseProjection projection;
  private SparseSketch sketch;
  private boolean closed;

  SparseProjector(SparseProjection projection) {
    this.projection = projection;
  }

  @Override
  public NDArray project(NDArray grads) {
    if (closed) {
      throw new IllegalStateException("projection session is closed");
    }
    if (sketch == null) {
      sketch = projection.sketch();
    }
    Shape shape = grads.getShape();
    int d = projection.inputDim();
    if (shape.dimension() != 2 || shape.get(1) != d) {
      throw new IllegalArgumentException("projection input has shape " + shape
          + ": expected (B, " + d + ")");
    }
    DataType type = grads.getDataType();
    if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
      throw new IllegalArgumentException("projection input has data type " + type
          + ": expected float32 or float64");
    }
    int rows = (int) shape.get(0);
    int k = projection.outputDim();
    double[] values = SparseSketch.values(grads);
    if (type == DataType.FLOAT32) {
      float[] out = new float[rows * k];
      for (int b = 0; b < rows; b++) {
        sketch.addVector(0, values, b * d, d, false);
        sketch.finishRow(out, b * k);
      }
      return grads.getManager().create(out, new Shape(rows, k));
    }
    double[] out = new double[rows * k];
    for (int b = 0; b < rows; b++) {
      sketch.addVector(0, values, b * d, d, false);
      sketch.finishRow(out, b * k);
    }
    return grads.getManager().create(out, new Shape(rows, k));
  }

  @Override
  public int inputDim() {
    return projection.inputDim();
  }

  @Override
  public int outputDim() {
    return projection.outputDim();
  }

  @Override
  public long cachedBytes() {
    return sketch == null ? 0 : sketch.tableBytes();
  }

  @Override
  public void close() {
    sketch = null;
    closed = true;
  }
}
