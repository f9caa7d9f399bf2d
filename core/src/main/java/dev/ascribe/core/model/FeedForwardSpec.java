package dev.ascribe.core.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link ModelSpec} of our feed-forward classifiers ({@link ModelKind#LR} and {@link
 * ModelKind#MLP}): a stack of linear layers with ReLU between them and optional dropout after each
 * hidden layer. Logistic regression is the stack with no hidden layer. Its live model is {@link
 * Network}.
 *
 * <p>Parameters are laid out in one flat vector, layer by layer, each layer as its weight
 * ({@code out x in}, row-major, as DJL's {@link Linear} stores it) followed by its bias
 * ({@code out}). Every linear layer is tapped, so the taps cover every parameter.
 */
public final class FeedForwardSpec implements ModelSpec {
  private static final long serialVersionUID = 1L;

  private final int inputDim;
  private final int[] hidden;
  private final int numClasses;
  private final double dropout;

  private FeedForwardSpec(int inputDim, int[] hidden, int numClasses, double dropout) {
    if (inputDim < 1) {
      throw new IllegalArgumentException("model input dim given " + inputDim + ": must be >= 1");
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("model classes given " + numClasses + ": must be >= 2");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException(
            "model hidden sizes given " + Arrays.toString(hidden) + ": each must be >= 1");
      }
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("model dropout given " + dropout + ": must be in [0, 1)");
    }
    this.inputDim = inputDim;
    this.hidden = hidden.clone();
    this.numClasses = numClasses;
    this.dropout = dropout;
  }

  /** Multinomial logistic regression: one linear layer with bias. */
  public static FeedForwardSpec logisticRegression(int inputDim, int numClasses) {
    return new FeedForwardSpec(inputDim, new int[0], numClasses, 0);
  }

  /** A ReLU multilayer perceptron with dropout {@code dropout} after every hidden layer. */
  public static FeedForwardSpec mlp(int inputDim, int[] hidden, int numClasses, double dropout) {
    if (hidden.length == 0) {
      throw new IllegalArgumentException(
          "model kind mlp needs at least one hidden layer: use lr for none");
    }
    return new FeedForwardSpec(inputDim, hidden, numClasses, dropout);
  }

  @Override
  public ModelKind kind() {
    return hidden.length == 0 ? ModelKind.LR : ModelKind.MLP;
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public double dropout() {
    return dropout;
  }

  /** Number of linear layers (hidden layers + the output layer). */
  public int numLinear() {
    return hidden.length + 1;
  }

  /** Input width of linear layer {@code l}. */
  public int inOf(int l) {
    return l == 0 ? inputDim : hidden[l - 1];
  }

  /** Output width of linear layer {@code l}. */
  public int outOf(int l) {
    return l == hidden.length ? numClasses : hidden[l];
  }

  /** Number of parameters of linear layer {@code l} (weight and bias). */
  public long parametersOf(int l) {
    return (long) outOf(l) * inOf(l) + outOf(l);
  }

  @Override
  public int numParameters() {
    long d = 0;
    for (int l = 0; l < numLinear(); l++) {
      d += parametersOf(l);
    }
    if (d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model has " + d + " parameters: at most 2^31-1 supported");
    }
    return (int) d;
  }

  /** Offset of linear layer {@code l}'s weight in the flat parameter vector. */
  public int offsetOf(int l) {
    long off = 0;
    for (int k = 0; k < l; k++) {
      off += parametersOf(k);
    }
    return (int) off;
  }

  /** "lr" or "mlp-128-64". */
  @Override
  public String name() {
    if (hidden.length == 0) {
      return "lr";
    }
    StringBuilder sb = new StringBuilder("mlp");
    for (int h : hidden) {
      sb.append('-').append(h);
    }
    return sb.toString();
  }

  /** linear{l}.weight (out, in), then linear{l}.bias (out), layer by layer. */
  @Override
  public List<ParameterBlock> layout() {
    List<ParameterBlock> blocks = new ArrayList<>();
    for (int l = 0; l < numLinear(); l++) {
      int off = offsetOf(l);
      blocks.add(new ParameterBlock("linear" + l + ".weight", new long[] {outOf(l), inOf(l)}, off));
      blocks.add(new ParameterBlock("linear" + l + ".bias", new long[] {outOf(l)},
          off + outOf(l) * inOf(l)));
    }
    return blocks;
  }

  /** Every linear layer, tap l being layer l. */
  @Override
  public List<TappedLayer> tappedLayers() {
    List<TappedLayer> layers = new ArrayList<>();
    for (int l = 0; l < numLinear(); l++) {
      int off = offsetOf(l);
      layers.add(new TappedLayer(l, inOf(l), outOf(l), off, off + outOf(l) * inOf(l)));
    }
    return layers;
  }

  @Override
  public Network open(NDManager manager, DataType type) {
    return Network.open(this, manager, type);
  }

  @Override
  public Network initialize(NDManager manager, long seed) {
    return Network.initialize(this, manager, seed);
  }

  /**
   * A DJL block computing the same function as {@link Network#logits} in inference mode:
   * Linear, then (ReLU, Dropout, Linear) per hidden layer.
   */
  public SequentialBlock newBlock() {
    SequentialBlock block = new SequentialBlock();
    for (int l = 0; l < numLinear(); l++) {
      block.add(Linear.builder().setUnits(outOf(l)).optBias(true).build());
      if (l < hidden.length) {
        block.add(Activation.reluBlock());
        if (dropout > 0) {
          block.add(Dropout.builder().optRate((float) dropout).build());
        }
      }
    }
    return block;
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", hidden.length == 0 ? "lr" : "mlp");
    m.put("input_dim", inputDim);
    m.put("hidden", Arrays.stream(hidden).boxed().toList());
    m.put("classes", numClasses);
    m.put("dropout", dropout);
    m.put("parameters", numParameters());
    return m;
  }

  /** Rebuilds a spec from {@link #toMap()}'s output. */
  static FeedForwardSpec fromMap(Map<String, ?> m) {
    int in = ((Number) m.get("input_dim")).intValue();
    int classes = ((Number) m.get("classes")).intValue();
    double dropout = ((Number) m.get("dropout")).doubleValue();
    int[] hidden =
        ((java.util.List<?>) m.get("hidden")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    return hidden.length == 0
        ? logisticRegression(in, classes)
        : mlp(in, hidden, classes, dropout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedForwardSpec a
        && a.inputDim == inputDim
        && Arrays.equals(a.hidden, hidden)
        && a.numClasses == numClasses
        && a.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * inputDim + Arrays.hashCode(hidden)) + numClasses;
  }

  @Override
  public String toString() {
    return name() + " (" + inputDim + " -> " + numClasses + ", " + numParameters() + " parameters"
        + (dropout > 0 ? ", dropout " + dropout : "") + ")";
  }
}
