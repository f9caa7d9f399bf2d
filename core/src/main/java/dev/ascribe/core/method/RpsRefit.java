package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.Lbfgs;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.TappedLayer;
import java.util.List;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;

/**
 * RPS's first step (Yeh et al., 2018, "Representer Point Selection for Explaining Deep Neural
 * Networks"; DESIGN.md): the last linear layer W (classes x (h + 1), bias as the last column) is
 * re-fitted to a stationary point of
 *
 * <pre>
 *   J(W) = (1/n) Σ_i ℓ(W h̃_i, y_i) + λ ‖W‖²,   ∇J = (1/n) Σ_i (p_i - e_{y_i}) h̃_iᵀ + 2λ W
 * </pre>
 *
 * full batch, with h̃_i = [h_i, 1] the last hidden features (the input pixels for logistic
 * regression) and ℓ the softmax cross-entropy, by L-BFGS from the trained W until ‖∇J‖₂ ≤ the
 * tolerance. At such a point W = Σ_i α_i h̃_iᵀ with α_i = -(1/(2λn)) ∂ℓ(z_i)/∂φ(z_i): the
 * representer theorem. The earlier layers are unchanged.
 */
public final class RpsRefit {
  /** Appended to a refitted checkpoint's name; {@link RpsAttributor} scores only such ones. */
  public static final String SUFFIX = "+rps";

  private RpsRefit() {}

  /** Whether {@code c} came out of {@link #refit}. */
  public static boolean isRefit(Checkpoint c) {
    return c.name().endsWith(SUFFIX);
  }

  /**
   * The checkpoint with its last layer refitted on {@code train}, weighted 1/(2λn) (the
   * representer coefficient's scale, applied as the checkpoint coefficient).
   *
   * @throws IllegalStateException if the refit does not reach the tolerance
   */
  public static Checkpoint refit(Checkpoint checkpoint, Dataset train, RpsOptions options,
      int batchSize) {
    ModelSpec arch = checkpoint.spec();
    TappedLayer last = lastLayer(arch);
    int m = last.in() + 1;
    int classes = arch.numClasses();
    int n = train.size();
    try (NDManager manager = NDManager.newBaseManager(); Model net = checkpoint.open(manager)) {
      double[] features = hiddenFeatures(net, train, batchSize);
      double[] theta = net.parametersAsDouble();
      int offset = last.weightOffset();
      int bias = last.biasOffset();
      int h = m - 1;
      double[] w = new double[classes * m];
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < h; j++) {
          w[c * m + j] = theta[offset + c * h + j];
        }
        w[c * m + h] = theta[bias + c];
      }
      int[] labels = train.labels(Inputs.range(0, n));
      Lbfgs.Result r = Lbfgs.minimize((x, g) -> objective(x, g, features, labels, n, m, classes,
          options.lambda()), w, options.tolerance(), options.iterations());
      if (!r.converged()) {
        throw new IllegalStateException("RPS refit of " + checkpoint + " stopped after "
            + r.iterations() + " iterations at gradient norm " + r.gradientNorm()
            + ", above rps.tolerance = " + options.tolerance() + " (rps.lambda = "
            + options.lambda() + "): raise rps.iterations (now " + options.iterations()
            + ") or rps.tolerance; a larger rps.lambda also converges faster");
      }
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < h; j++) {
          theta[offset + c * h + j] = r.x()[c * m + j];
        }
        theta[bias + c] = r.x()[c * m + h];
      }
      net.setParameters(theta);
      return Checkpoint.of(checkpoint.name() + SUFFIX, net)
          .withWeight(1 / (2 * options.lambda() * n));
    }
  }

  /**
   * The layer RPS refits: the model's last tapped layer, which must map to the logits (out =
   * classes) and have a bias.
   */
  static TappedLayer lastLayer(ModelSpec spec) {
    List<TappedLayer> tapped = spec.tappedLayers();
    TappedLayer last = tapped.get(tapped.size() - 1);
    if (last.out() != spec.numClasses()) {
      throw new IllegalArgumentException("RPS refits the last linear layer: model " + spec.name()
          + " has no tapped layer producing its " + spec.numClasses() + " logits");
    }
    if (!last.hasBias()) {
      throw new IllegalArgumentException("RPS refits the last linear layer with its bias: model "
          + spec.name() + " has a last layer without a bias");
    }
    return last;
  }

  /** h̃_i = [input of the last linear layer, 1] for every row, row-major n x (h + 1). */
  static double[] hiddenFeatures(Model net, Dataset data, int batchSize) {
    TappedLayer last = lastLayer(net.spec());
    int m = last.in() + 1;
    double[] out = new double[data.size() * m];
    for (int from = 0; from < data.size(); from += batchSize) {
      int to = Math.min(data.size(), from + batchSize);
      try (NDManager scope = net.manager().newSubManager()) {
        NDArray input = net.forward(Inputs.features(data, Inputs.range(from, to), scope),
            net.parameters(), DropoutMasks.NONE, false).taps().get(last.index()).input();
        if (input.getShape().dimension() != 2) {
          throw new IllegalArgumentException("RPS refits a last layer applied once per example:"
              + " model " + net.spec().name() + " applies it at " + input.getShape().get(1)
              + " positions");
        }
        float[] h = input.toFloatArray();
        for (int i = 0; i < to - from; i++) {
          for (int j = 0; j < m - 1; j++) {
            out[(from + i) * m + j] = h[i * (m - 1) + j];
          }
          out[(from + i) * m + m - 1] = 1;
        }
      }
    }
    return out;
  }

  /** J(W) and ∇J for W row-major classes x m. */
  static double objective(double[] w, double[] grad, double[] features, int[] labels, int n,
      int m, int classes, double lambda) {
    double loss = 0;
    double[] logits = new double[classes];
    java.util.Arrays.fill(grad, 0);
    for (int i = 0; i < n; i++) {
      int base = i * m;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double z = 0;
        for (int j = 0; j < m; j++) {
          z += w[c * m + j] * features[base + j];
        }
        logits[c] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[c] - max);
      }
      loss += max + Math.log(sum) - logits[labels[i]];
      for (int c = 0; c < classes; c++) {
        double residual = (Math.exp(logits[c] - max) / sum - (c == labels[i] ? 1 : 0)) / n;
        for (int j = 0; j < m; j++) {
          grad[c * m + j] += residual * features[base + j];
        }
      }
    }
    double norm = 0;
    for (int j = 0; j < w.length; j++) {
      norm += w[j] * w[j];
      grad[j] += 2 * lambda * w[j];
    }
    return loss / n + lambda * norm;
  }
}
