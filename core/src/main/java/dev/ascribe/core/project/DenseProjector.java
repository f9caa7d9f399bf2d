package dev.ascribe.core.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The {@link Projector} of a dense {@link DenseProjection}: {@code out = sum_b G[:, block b]
 * P_b^T} with one libtorch matMul per column block, blocks summed in ascending order, so the
 * arithmetic is the same whether a block was cached or regenerated.
 *
 * <p>Blocks are cached (as float32 or float64, whichever the input needs) in the session's own
 * sub-manager until {@code cacheBytes} would be exceeded; the rest are generated per call in a
 * per-block sub-manager and freed as soon as their product is added. A ragged last group of rows is
 * padded to {@link #ROW_MULTIPLE} with zero rows, so results do not depend on batching.
 */
final class DenseProjector implements Projector {
  /**
   * Batches are projected in row counts that are multiples of this (the tail is zero-padded).
   * Measured with libtorch 2.7.1 on x86-64: float32 batches of 1 to 3 rows and float64 batches
   * whose size is not a multiple of 4 use other BLAS kernels and round differently; with the
   * padding a row's projection is bit-identical however the rows were batched.
   */
  static final int ROW_MULTIPLE = 8;

  private final DenseProjection projection;
  private final NDManager cache;
  private final NDArray[] cachedFloat32;
  private final NDArray[] cachedFloat64;
  private long cachedBytes;
  // Reused between blocks and calls: generation buffers, so uncached blocks do not churn the heap.
  private float[] scratchFloat;
  private double[] scratchDouble;
  private boolean closed;

  DenseProjector(DenseProjection projection, NDManager parent) {
    this.projection = projection;
    this.cache = parent.newSubManager();
    this.cachedFloat32 = new NDArray[projection.numBlocks()];
    this.cachedFloat64 = new NDArray[projection.numBlocks()];
  }

  @Override
  public NDArray project(NDArray grads) {
    if (closed) {
      throw new IllegalStateException(
          "projector is closed: open a new one with projection.open(manager)");
    }
    DataType type = checkInput(grads);
    long rows = grads.getShape().get(0);
    NDManager owner = grads.getManager();
    if (rows == 0) {
      return owner.zeros(new Shape(0, projection.outputDim()), type);
    }
    long aligned = rows - rows % ROW_MULTIPLE;
    NDArray out;
    try (NDManager call = owner.newSubManager()) {
      // Slices and products land in the manager of their first operand: route them into `call`.
      grads.tempAttach(call);
      if (aligned == rows) {
        out = projectAligned(grads, type, call);
      } else {
        // Pad the ragged tail with zero rows so every row goes through the same BLAS kernel.
        int missing = (int) (ROW_MULTIPLE - rows % ROW_MULTIPLE);
        NDArray tail = grads.get(new NDIndex("{}:, :", aligned));
        NDArray padded = tail.concat(call.zeros(new Shape(missing, projection.inputDim()), type));
        NDArray tailOut =
            projectAligned(padded, type, call).get(new NDIndex(":{}, :", rows - aligned));
        out =
            aligned == 0
                ? tailOut
                : projectAligned(grads.get(new NDIndex(":{}, :", aligned)), type, call)
                    .concat(tailOut);
      }
      out.attach(owner);
    }
    return out;
  }

  /** {@code x P^T} for x (m x d) in {@code call}, m a multiple of ROW_MULTIPLE; result in call. */
  private NDArray projectAligned(NDArray x, DataType type, NDManager call) {
    NDArray acc = null;
    for (int b = 0, n = projection.numBlocks(); b < n; b++) {
      try (NDManager step = call.newSubManager()) {
        int from = projection.blockStart(b);
        int to = from + projection.blockWidth(b);
        NDArray slice = n == 1 ? x : x.get(new NDIndex(":, {}:{}", from, to));
        if (slice != x) {
          slice.attach(step);
        }
        NDArray term = slice.matMul(transposedBlock(b, type, step));
        if (acc == null) {
          term.attach(call);
          acc = term;
        } else {
          term.attach(step);
          acc.addi(term);
        }
      }
    }
    return acc;
  }

  /** P_b^T as a (w x k) view: cached in the session, or created in {@code step}. */
  private NDArray transposedBlock(int b, DataType type, NDManager step) {
    boolean f32 = type == DataType.FLOAT32;
    NDArray[] cached = f32 ? cachedFloat32 : cachedFloat64;
    if (cached[b] != null) {
      return cached[b];
    }
    int k = projection.outputDim();
    int w = projection.blockWidth(b);
    long bytes = (long) k * w * (f32 ? 4 : 8);
    boolean keep = cachedBytes + bytes <= projection.options().cacheBytes();
    NDManager target = keep ? cache : step;
    NDArray block;
    if (f32) {
      if (scratchFloat == null || scratchFloat.length < k * w) {
        scratchFloat = new float[k * projection.blockWidth(0)];
      }
      projection.fillBlock(b, scratchFloat);
      block = target.create(FloatBuffer.wrap(scratchFloat, 0, k * w), new Shape(k, w));
    } else {
      if (scratchDouble == null || scratchDouble.length < k * w) {
        scratchDouble = new double[k * projection.blockWidth(0)];
      }
      projection.fillBlock(b, scratchDouble);
      block = target.create(DoubleBuffer.wrap(scratchDouble, 0, k * w), new Shape(k, w));
    }
    // A transposed view: libtorch's matmul passes it to BLAS as "transposed", no copy.
    NDArray transposed = block.transpose();
    if (keep) {
      cached[b] = transposed;
      cachedBytes += bytes;
    }
    return transposed;
  }

  private DataType checkInput(NDArray grads) {
    Shape shape = grads.getShape();
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException(
          "projection input has shape "
              + shape
              + ": expected (B, "
              + projection.inputDim()
              + "), one gradient per row");
    }
    if (shape.get(1) != projection.inputDim()) {
      throw new IllegalArgumentException(
          "projection input has dimension d' = "
              + shape.get(1)
              + " (shape "
              + shape
              + "): expected d = "
              + projection.inputDim()
              + " (the projection's input dimension)");
    }
    DataType type = grads.getDataType();
    if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
      throw new IllegalArgumentException(
          "projection input has data type " + type + ": expected float32 or float64");
    }
    return type;
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
    return cachedBytes;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cache.close();
      cachedBytes = 0;
      scratchFloat = null;
      scratchDouble = null;
    }
  }
}
