package dev.ascribe.core.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of one of our feed-forward classifiers: a stack of linear layers with ReLU between
 * them and optional dropout after each hidden layer. Logistic regression is the stack with no
 * hidden layer.
 *
 * <p>Parameters are laid out in one flat vector, layer by layer, each layer as its weight
 * ({@code out x in}, row-major, as DJL's {@link Linear} stores it) followed by its bias
 * ({@code out}). Per-example gradients, projections and stored features all use this order.
 *
 * <p>Serializable (plain values, no DJL objects) so that Spark tasks can receive it.
 */
public final class Architecture implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int inputDim;
  private final int[] hidden;
  private final int numClasses;
  private final double dropout;

  private Architecture(int inputDim, int[] hidden, int numClasses, double dropout) {
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
  public static Architecture logisticRegression(int inputDim, int numClasses) {
    return new Architecture(inputDim, new int[0], numClasses, 0);
  }

  /** A ReLU multilayer perceptron with dropout {@code dropout} after every hidden layer. */
  public static Architecture mlp(int inputDim, int[] hidden, int numClasses, double dropout) {
    if (hidden.length == 0) {
      throw new IllegalArgumentException(
          "model kind mlp needs at least one hidden layer: use lr for none");
    }
    return new Architecture(inputDim, hidden, numClasses, dropout);
  }

  public int inputDim() {
    return inputDim;
  }

  public int numClasses() {
    return numClasses;
  }

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

  /** Total number of parameters d. */
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

  /** A JSON-friendly description (for model.json and provenance). */
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

  /** Rebuilds an architecture from {@link #toMap()}'s output. */
  public static Architecture fromMap(Map<String, ?> m) {
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
    return o instanceof Architecture a
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
