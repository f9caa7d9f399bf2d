package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.parallel.IndexedTasks;
import java.util.Arrays;
import java.util.List;

/**
 * Exact Hessian-vector products Hv of the mean training loss (1/n) Σ_i ℓ(z_i; θ) for our models
 * (linear layers with ReLU between them, softmax cross-entropy), by Pearlmutter's R-operator:
 * forward and backward passes written out with plain DJL operations, no autograd graph.
 *
 * <p>Why not double backward: DJL's public API cannot build a graph through a gradient, and the
 * route through JniUtils grows native memory by about 2 MB per product (PLATFORM.md). Here every
 * product runs in a sub-manager closed at its end, so memory stays flat, and several threads may
 * call {@link #apply} at once.
 *
 * <p>For layer l: z_l = a_{l-1} W_lᵀ + b_l, a_l = relu(z_l); e_l = ∂L/∂z_l. Along a direction V:
 *
 * <pre>
 *   R z_l = R a_{l-1} W_lᵀ + a_{l-1} V_lᵀ + v_l        R a_l = 1[z_l > 0] ⊙ R z_l
 *   R e_L = (p ⊙ R z_L - p (pᵀ R z_L)) / n            (softmax Jacobian; e_L = (p - y) / n)
 *   R e_{l-1} = (R e_l W_l + e_l V_l) ⊙ 1[z_{l-1} > 0]
 *   (Hv)_{W_l} = R e_lᵀ a_{l-1} + e_lᵀ R a_{l-1}       (Hv)_{b_l} = Σ_i R e_l
 * </pre>
 *
 * ReLU's second derivative is zero almost everywhere, so these are exact. Directions may cover
 * every parameter or only the layers from {@code fromLayer} on (the last-layer variant of explicit
 * IF): the products are then those of the Hessian block of those layers.
 */
public final class HessianVectorProduct implements CurvatureProducts {
  private final NDManager manager;
  private final Model net;
  private final FeedForwardSpec arch;
  private final Dataset data;
  private final int[] rows;
  private final int fromLayer;
  private final int offset;
  private final int dim;
  private final Options options;
  /** W_lᵀ per layer, made once: an operation on the network's arrays would attach its result to
   * the network's long-lived manager instead of the per-product scope. */
  private final NDArray[] transposed;

  /**
   * Immutable options.
   *
   * @param dataType FLOAT32 (fast) or FLOAT64 (for tests and ill-conditioned problems)
   * @param batchSize training rows per pass (bounds native memory with {@code directionBlock})
   * @param directionBlock directions pushed through one pass together
   * @param threads blocks of directions computed in parallel (each sums its batches in order, so
   *     results do not depend on the thread count)
   */
  public record Options(DataType dataType, int batchSize, int directionBlock, int threads) {
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("HVP threads must be >= 1: " + threads);
      }
      if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
        throw new IllegalArgumentException("HVP data type " + dataType + ": FLOAT32 or FLOAT64");
      }
      if (batchSize < 1 || directionBlock < 1) {
        throw new IllegalArgumentException(
            "HVP batch size and direction block must be >= 1: " + batchSize + ", "
                + directionBlock);
      }
    }

    public Options(DataType dataType, int batchSize, int directionBlock) {
      this(dataType, batchSize, directionBlock, 1);
    }

    /** Float32, 1000 rows and 16 directions per pass, one thread. */
    public static Options defaults() {
      return new Options(DataType.FLOAT32, 1000, 16, 1);
    }

    /** These options with {@code n} threads. */
    public Options withThreads(int n) {
      return new Options(dataType, batchSize, directionBlock, n);
    }
  }

  /**
   * @param checkpoint the parameters θ
   * @param data training examples; the loss is the mean over {@code rows}
   * @param rows the rows of {@code data} the mean loss runs over
   * @param fromLayer first linear layer of the parameter block (0: every parameter)
   */
  public HessianVectorProduct(Checkpoint checkpoint, Dataset data, int[] rows, int fromLayer,
      Options options) {
    this.arch = feedForward(checkpoint.spec());
    if (fromLayer < 0 || fromLayer >= arch.numLinear()) {
      throw new IllegalArgumentException("HVP parameter block starts at layer " + fromLayer
          + ": model " + arch.name() + " has layers 0.." + (arch.numLinear() - 1));
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("HVP of a mean loss over no training rows");
    }
    if (data.dim() != arch.inputDim()) {
      throw new IllegalArgumentException("training data " + data.name() + " has " + data.dim()
          + " features: model " + arch.name() + " expects " + arch.inputDim());
    }
    this.data = data;
    this.rows = rows.clone();
    this.fromLayer = fromLayer;
    this.offset = arch.offsetOf(fromLayer);
    this.dim = arch.numParameters() - offset;
    this.options = options;
    this.manager = NDManager.newBaseManager();
    Model opened = checkpoint.open(manager);
    this.net = opened.dataType() == options.dataType() ? opened : opened.copy(options.dataType());
    this.transposed = new NDArray[arch.numLinear()];
    for (int l = 0; l < transposed.length; l++) {
      transposed[l] = net.parameters().get(2 * l).transpose().toType(options.dataType(), true);
    }
  }

  /** The HVP's passes are written out for linear layers with ReLU: feed-forward models only. */
  private static FeedForwardSpec feedForward(ModelSpec spec) {
    if (spec instanceof FeedForwardSpec ff) {
      return ff;
    }
    throw new IllegalArgumentException("Hessian-vector products are written for feed-forward"
        + " models (lr, mlp): model kind " + spec.kind().id() + " is not supported");
  }

  /** Products over every parameter. */
  public HessianVectorProduct(Checkpoint checkpoint, Dataset data, int[] rows, Options options) {
    this(checkpoint, data, rows, 0, options);
  }

  @Override
  public int dim() {
    return dim;
  }

  /** Offset of the block in the flat parameter vector. */
  public int offset() {
    return offset;
  }

  /** First linear layer of the block. */
  public int fromLayer() {
    return fromLayer;
  }

  @Override
  public int numRows() {
    return rows.length;
  }

  /** Hv for each direction, the mean loss over every row. */
  @Override
  public double[][] apply(double[][] directions) {
    return apply(directions, rows);
  }

  /**
   * Hv for each direction with the mean loss over a subset of the rows (LiSSA's mini-batches).
   *
   * @param subset rows of the data (indices into the dataset, as {@code rows} are)
   */
  @Override
  public double[][] apply(double[][] directions, int[] subset) {
    CurvatureProducts.checkDirections(directions, dim, "HVP");
    double[][] out = new double[directions.length][];
    int blockSize = options.directionBlock();
    int blocks = (directions.length + blockSize - 1) / blockSize;
    List<double[][]> products = IndexedTasks.runUnchecked(blocks,
        Math.min(blocks, options.threads()), k -> {
          int from = k * blockSize;
          return blockProduct(Arrays.copyOfRange(directions, from,
              Math.min(directions.length, from + blockSize)), subset);
        });
    for (int k = 0; k < blocks; k++) {
      double[][] p = products.get(k);
      System.arraycopy(p, 0, out, k * blockSize, p.length);
    }
    return out;
  }

  /** One block of directions over every batch of rows, summed in a fixed order. */
  private double[][] blockProduct(double[][] block, int[] subset) {
    double[][] sum = new double[block.length][dim];
    for (int start = 0; start < subset.length; start += options.batchSize()) {
      int[] batch = Arrays.copyOfRange(subset, start,
          Math.min(subset.length, start + options.batchSize()));
      double[][] part = batchProduct(block, batch, subset.length);
      for (int j = 0; j < part.length; j++) {
        for (int p = 0; p < dim; p++) {
          sum[j][p] += part[j][p];
        }
      }
    }
    return sum;
  }

  /** The block of (1/n) Σ_{i in batch} ∇²ℓ(z_i) v for each v, n = {@code meanOver}. */
  private double[][] batchProduct(double[][] block, int[] batch, int meanOver) {
    int b = block.length;
    int layers = arch.numLinear();
    // Grad mode is per thread and on by default in new threads: off, so no graph is recorded.
    try (Autograd.Scope noGraph = Autograd.gradMode(false);
        NDManager scope = manager.newSubManager()) {
      DataType type = options.dataType();
      NDList params = net.parameters();
      NDArray[] w = new NDArray[layers];
      NDArray[] vw = new NDArray[layers];
      NDArray[] vb = new NDArray[layers];
      double[] flat = new double[b * dim];
      for (int j = 0; j < b; j++) {
        System.arraycopy(block[j], 0, flat, j * dim, dim);
      }
      NDArray v = scope.create(flat, new Shape(b, dim)).toType(type, false);
      // R-quantities are laid out (rows, directions, width) so that every product below is one
      // matrix multiplication with the directions folded into a dimension.
      NDArray[] vwByOut = new NDArray[layers];
      int at = 0;
      for (int l = 0; l < layers; l++) {
        w[l] = params.get(2 * l);
        if (l < fromLayer) {
          continue;
        }
        int in = arch.inOf(l);
        int out = arch.outOf(l);
        NDArray vl = v.get(":, " + at + ":" + (at + out * in)).reshape(b, out, in);
        at += out * in;
        // (in, b·out): a V_lᵀ for every direction at once.
        vw[l] = vl.transpose(2, 0, 1).reshape(in, b * out);
        // (out, b·in): e V_l for every direction at once.
        vwByOut[l] = vl.transpose(1, 0, 2).reshape(out, b * in);
        vb[l] = v.get(":, " + at + ":" + (at + out)).reshape(1, b, out);
        at += out;
      }

      // Forward pass with its R-pass.
      int n = batch.length;
      NDArray[] inputs = new NDArray[layers];
      NDArray[] rInputs = new NDArray[layers];
      NDArray[] active = new NDArray[layers];
      NDArray a = Inputs.features(data, batch, scope).toType(type, false);
      NDArray ra = null;
      NDArray z = null;
      NDArray rz = null;
      for (int l = 0; l < layers; l++) {
        int out = arch.outOf(l);
        inputs[l] = a;
        rInputs[l] = ra;
        z = a.matMul(transposed[l]).add(params.get(2 * l + 1));
        if (l >= fromLayer) {
          rz = a.matMul(vw[l]).reshape(n, b, out).add(vb[l]);
          if (ra != null) {
            rz = rz.add(ra.matMul(transposed[l]));
          }
        }
        if (l < layers - 1) {
          active[l] = z.gt(0).toType(type, false);
          a = z.mul(active[l]);
          ra = rz == null ? null : rz.mul(active[l].expandDims(1));
        }
      }

      // Backward pass with its R-pass, from the softmax cross-entropy of the mean loss.
      NDArray p = z.softmax(-1);
      NDArray y = scope.create(data.labels(batch)).oneHot(arch.numClasses()).toType(type, false);
      double scale = 1.0 / meanOver;
      NDArray e = p.sub(y).mul(scale);
      NDArray pb = p.expandDims(1);
      NDArray re = pb.mul(rz).sub(pb.mul(pb.mul(rz).sum(new int[] {-1}, true))).mul(scale);
      NDArray[] gw = new NDArray[layers];
      NDArray[] gb = new NDArray[layers];
      for (int l = layers - 1; l >= fromLayer; l--) {
        int in = arch.inOf(l);
        int out = arch.outOf(l);
        // Σ_i R e_i a_iᵀ: (b·out, n) x (n, in).
        gw[l] = re.reshape(n, b * out).transpose().matMul(inputs[l]).reshape(b, out, in);
        if (rInputs[l] != null) {
          // Σ_i e_i R a_iᵀ: (out, n) x (n, b·in).
          gw[l] = gw[l].add(e.transpose().matMul(rInputs[l].reshape(n, b * in))
              .reshape(out, b, in).transpose(1, 0, 2));
        }
        gb[l] = re.sum(new int[] {0});
        if (l > fromLayer) {
          NDArray nextRe = re.matMul(w[l]).add(e.matMul(vwByOut[l]).reshape(n, b, in));
          re = nextRe.mul(active[l - 1].expandDims(1));
          e = e.matMul(w[l]).mul(active[l - 1]);
        }
      }
      NDList parts = new NDList();
      for (int l = fromLayer; l < layers; l++) {
        parts.add(gw[l].reshape(b, -1));
        parts.add(gb[l].reshape(b, -1));
      }
      double[] values = NDArrays.concat(parts, 1).toType(DataType.FLOAT64, false)
          .toDoubleArray();
      double[][] result = new double[b][dim];
      for (int j = 0; j < b; j++) {
        System.arraycopy(values, j * dim, result[j], 0, dim);
      }
      return result;
    }
  }

  /** Arrays held by this object's manager: constant after construction (tests check). */
  int heldArrays() {
    return manager.getManagedArrays().size();
  }

  @Override
  public void close() {
    manager.close();
  }
}
