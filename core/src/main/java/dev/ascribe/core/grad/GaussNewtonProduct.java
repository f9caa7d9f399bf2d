package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.task.ModelOutputs;
import java.util.Arrays;

/**
 * Products with the Gauss-Newton matrix of the mean softmax cross-entropy, for any model:
 *
 * <pre>
 *   G v = (1/n) Σ_i J_iᵀ (diag p_i - p_i p_iᵀ) J_i v
 * </pre>
 *
 * with J_i the Jacobian of example i's logits with respect to the parameters and p_i its softmax.
 * It is the Hessian without the second derivatives of the network itself, positive semi-definite
 * (so CG and LiSSA need no shift above negative curvature), equal to the Hessian for logistic
 * regression, and for the softmax cross-entropy equal to the Fisher information of the model's own
 * predictive distribution. Unlike the exact {@link HessianVectorProduct}, written out for
 * feed-forward layers, it needs only per-example gradients: row c of J_i is the gradient of logit c,
 * so one batched pass per class ({@link PerExampleGradients}) gives J for a batch of rows, and the
 * product is two matrix products with it. Cost per product: C passes over the rows.
 *
 * <p>For a classifier (logits (B, C)); a sequence model, with T x V logits per example, would need
 * T x V passes and is refused.
 */
public final class GaussNewtonProduct implements CurvatureProducts {
  /** Bytes of per-class gradients held at once: bounds the rows per pass. */
  static final long JACOBIAN_BYTES = 64L << 20;

  private final NDManager manager;
  private final Model net;
  private final Dataset data;
  private final int[] rows;
  private final int offset;
  private final int dim;
  private final int rowsPerPass;

  /**
   * @param checkpoint the parameters θ
   * @param data training examples; the loss is the mean over {@code rows}
   * @param rows the rows of {@code data} the mean runs over
   * @param offset first parameter of the block (0: every parameter); the block runs to the end
   * @param dataType FLOAT32 or FLOAT64 (tests)
   */
  public GaussNewtonProduct(Checkpoint checkpoint, Dataset data, int[] rows, int offset,
      DataType dataType) {
    ModelSpec spec = checkpoint.spec();
    if (rows.length == 0) {
      throw new IllegalArgumentException("Gauss-Newton products of a mean loss over no rows");
    }
    if (data.dim() != spec.inputDim()) {
      throw new IllegalArgumentException("training data " + data.name() + " has " + data.dim()
          + " features: model " + spec.name() + " expects " + spec.inputDim());
    }
    if (offset < 0 || offset >= spec.numParameters()) {
      throw new IllegalArgumentException("Gauss-Newton parameter block starts at " + offset
          + ": model " + spec.name() + " has " + spec.numParameters() + " parameters");
    }
    this.data = data;
    this.rows = rows.clone();
    this.offset = offset;
    this.dim = spec.numParameters() - offset;
    int bytes = dataType == DataType.FLOAT64 ? 8 : 4;
    this.rowsPerPass = (int) Math.max(1, Math.min(rows.length,
        JACOBIAN_BYTES / ((long) bytes * spec.numClasses() * spec.numParameters())));
    this.manager = NDManager.newBaseManager();
    Model opened = checkpoint.open(manager);
    this.net = opened.dataType() == dataType ? opened : opened.copy(dataType);
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numRows() {
    return rows.length;
  }

  @Override
  public double[][] apply(double[][] directions) {
    return apply(directions, rows);
  }

  @Override
  public double[][] apply(double[][] directions, int[] subset) {
    CurvatureProducts.checkDirections(directions, dim, "Gauss-Newton");
    int k = directions.length;
    double[] sum = new double[k * dim];
    for (int start = 0; start < subset.length; start += rowsPerPass) {
      int[] batch = Arrays.copyOfRange(subset, start,
          Math.min(subset.length, start + rowsPerPass));
      double[] part = batchProduct(directions, batch, subset.length);
      for (int j = 0; j < sum.length; j++) {
        sum[j] += part[j];
      }
    }
    double[][] out = new double[k][];
    for (int j = 0; j < k; j++) {
      out[j] = Arrays.copyOfRange(sum, j * dim, (j + 1) * dim);
    }
    return out;
  }

  /** (1/n) Σ_{i in batch} J_iᵀ H_i J_i v for each v, row-major (k, dim); n = {@code meanOver}. */
  private double[] batchProduct(double[][] directions, int[] batch, int meanOver) {
    int classes = net.spec().numClasses();
    try (NDManager scope = manager.newSubManager()) {
      DataType type = net.dataType();
      NDArray x = Inputs.features(data, batch, scope);
      NDArray logits;
      try (Autograd.Scope noGraph = Autograd.gradMode(false)) {
        logits = net.logits(x);
      }
      if (logits.getShape().dimension() != 2) {
        throw new IllegalArgumentException("Gauss-Newton products take one pass per logit: model "
            + net.spec().name() + " has logits of shape " + logits.getShape().slice(1)
            + " per example; use if-fim, trak or grad-dot");
      }
      NDArray p = logits.toType(type, false).softmax(-1);
      double[] flat = new double[directions.length * dim];
      for (int j = 0; j < directions.length; j++) {
        System.arraycopy(directions[j], 0, flat, j * dim, dim);
      }
      NDArray vt = scope.create(flat, new Shape(directions.length, dim)).toType(type, false)
          .transpose();
      NDList jacobian = new NDList();
      NDList projected = new NDList();
      for (int c = 0; c < classes; c++) {
        int[] labels = new int[batch.length];
        Arrays.fill(labels, c);
        NDArray jc = PerExampleGradients.compute(net, x, labels, ModelOutputs.logit());
        if (offset > 0) {
          jc = jc.get(":, " + offset + ":");
        }
        jacobian.add(jc);
        projected.add(jc.matMul(vt)); // (B, k): J v for logit c
      }
      NDArray u = NDArrays.stack(projected, 1); // (B, C, k)
      NDArray pb = p.expandDims(2); // (B, C, 1)
      // (diag p - p pᵀ) u = p ⊙ (u - Σ_c p_c u_c), example by example
      NDArray r = pb.mul(u.sub(pb.mul(u).sum(new int[] {1}, true))).mul(1.0 / meanOver);
      NDArray out = null;
      for (int c = 0; c < classes; c++) {
        NDArray rc = r.get(":, " + c + ", :"); // (B, k)
        NDArray term = rc.transpose().matMul(jacobian.get(c)); // (k, dim)
        out = out == null ? term : out.add(term);
      }
      return out.toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
