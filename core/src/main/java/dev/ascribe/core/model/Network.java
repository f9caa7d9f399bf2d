package dev.ascribe.core.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@link Model} of a {@link FeedForwardSpec}: a DJL {@link SequentialBlock} (for saving,
 * loading and use as a DJL {@link Block}) plus a hand-written functional forward pass over the same
 * parameters that can tap every linear layer and apply dropout masks.
 */
public final class Network implements Model {
  private final FeedForwardSpec arch;
  private final SequentialBlock block;
  private final NDManager parent;
  private final NDManager manager;
  private final List<Parameter> weights = new ArrayList<>();
  private final List<Parameter> biases = new ArrayList<>();

  private Network(FeedForwardSpec arch, NDManager parent, DataType type) {
    this.arch = arch;
    this.parent = parent;
    this.manager = parent.newSubManager();
    this.block = arch.newBlock();
    block.initialize(manager, type, new Shape(1, arch.inputDim()));
    for (Block child : block.getChildren().values()) {
      if (child instanceof Linear linear) {
        weights.add(linear.getParameters().get("weight"));
        biases.add(linear.getParameters().get("bias"));
      }
    }
  }

  /** A network of shape {@code arch} with unspecified parameters of type {@code type}. */
  static Network open(FeedForwardSpec arch, NDManager parent, DataType type) {
    return new Network(arch, parent, type);
  }

  /**
   * A new network with PyTorch's default initialization for linear layers (weight and bias
   * uniform in ±1/√fan_in), drawn from {@code seed} on the JVM so it is the same on every machine.
   */
  public static Network initialize(FeedForwardSpec arch, NDManager parent, long seed) {
    Network net = new Network(arch, parent, DataType.FLOAT32);
    double[] theta = new double[arch.numParameters()];
    for (int l = 0; l < arch.numLinear(); l++) {
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, l));
      double bound = 1.0 / Math.sqrt(arch.inOf(l));
      int off = arch.offsetOf(l);
      for (long k = 0; k < arch.parametersOf(l); k++) {
        theta[off + (int) k] = (2 * rng.nextDouble() - 1) * bound;
      }
    }
    net.setParameters(theta);
    return net;
  }

  @Override
  public void load(InputStream in) throws IOException {
    try {
      block.loadParameters(manager, new DataInputStream(new BufferedInputStream(in)));
    } catch (MalformedModelException e) {
      throw new IOException("parameters do not match model " + arch + ": " + e.getMessage(), e);
    }
    checkShapes();
  }

  /** DJL loads parameters of any shape without complaint; a model file must fit its architecture. */
  private void checkShapes() throws IOException {
    for (int l = 0; l < arch.numLinear(); l++) {
      Shape w = weights.get(l).getArray().getShape();
      Shape b = biases.get(l).getArray().getShape();
      Shape wantW = new Shape(arch.outOf(l), arch.inOf(l));
      Shape wantB = new Shape(arch.outOf(l));
      if (!w.equals(wantW) || !b.equals(wantB)) {
        throw new IOException("linear layer " + l + " has weight " + w + " and bias " + b
            + ": model " + arch + " expects " + wantW + " and " + wantB);
      }
    }
  }

  /** Writes the parameters in DJL's block parameter format. */
  @Override
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    block.saveParameters(data);
    data.flush();
  }

  @Override
  public Network copy(DataType type) {
    Network net = new Network(arch, parent, type);
    net.setParameters(parametersAsDouble());
    return net;
  }

  @Override
  public FeedForwardSpec spec() {
    return arch;
  }

  /** The DJL block holding the parameters; its own forward equals {@link #logits} (dropout off). */
  public Block block() {
    return block;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public DataType dataType() {
    return weights.get(0).getArray().getDataType();
  }

  /** The live parameter arrays in flat order: W_0, b_0, W_1, b_1, ... (W_l has shape (out, in)). */
  @Override
  public NDList parameters() {
    NDList list = new NDList();
    for (int l = 0; l < weights.size(); l++) {
      list.add(weights.get(l).getArray());
      list.add(biases.get(l).getArray());
    }
    return list;
  }

  @Override
  public double[] parametersAsDouble() {
    return FlatParameters.read(parameters(), arch.numParameters());
  }

  @Override
  public void setParameters(double[] theta) {
    FlatParameters.write(parameters(), theta, arch.numParameters(), arch.name());
  }

  /** Linear, then (ReLU, dropout mask, Linear) per hidden layer; tap l is linear layer l. */
  @Override
  public ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes) {
    int layers = arch.numLinear();
    List<Tap> taps = new ArrayList<>();
    NDManager scope = x.getManager();
    NDArray a = x.getDataType() == dataType() ? x : x.toType(dataType(), false);
    NDArray z = null;
    for (int l = 0; l < layers; l++) {
      NDArray input = a;
      z = Linear.linear(a, params.get(2 * l), params.get(2 * l + 1)).singletonOrThrow();
      NDArray probe = null;
      if (withProbes) {
        probe = scope.zeros(z.getShape(), z.getDataType());
        probe.setRequiresGradient(true);
        z = z.add(probe);
      }
      taps.add(new Tap(input, probe));
      if (l < layers - 1) {
        a = Activation.relu(z);
        if (masks.active()) {
          a = a.mul(masks.mask(l, a.getShape(), a.getDataType(), scope));
        }
      }
    }
    return new ForwardTrace(z, taps);
  }

  @Override
  public void close() {
    manager.close();
  }
}
