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
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One of our classifiers with its parameters in native memory: a DJL {@link SequentialBlock} (for
 * saving, loading and use as a DJL {@link Block}) plus a functional forward pass over the same
 * parameters that can insert gradient probes and dropout masks.
 *
 * <p>A network owns its own {@link NDManager}; close it to free the parameters. It is meant to be
 * used by one thread at a time (one network per Spark task or trainer thread).
 */
public final class Network implements AutoCloseable {
  private final Architecture arch;
  private final SequentialBlock block;
  private final NDManager parent;
  private final NDManager manager;
  private final List<Parameter> weights = new ArrayList<>();
  private final List<Parameter> biases = new ArrayList<>();

  private Network(Architecture arch, NDManager parent, DataType type) {
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

  /**
   * A new network with PyTorch's default initialization for linear layers (weight and bias
   * uniform in ±1/√fan_in), drawn from {@code seed} on the JVM so it is the same on every machine.
   */
  public static Network initialize(Architecture arch, NDManager parent, long seed) {
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

  /** Reads a network saved by {@link #save}; the stream must hold parameters for {@code arch}. */
  public static Network load(Architecture arch, NDManager parent, InputStream in)
      throws IOException {
    Network net = new Network(arch, parent, DataType.FLOAT32);
    try {
      net.block.loadParameters(net.manager, new DataInputStream(new BufferedInputStream(in)));
      net.checkShapes();
    } catch (MalformedModelException e) {
      net.close();
      throw new IOException("parameters do not match model " + arch + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
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
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    block.saveParameters(data);
    data.flush();
  }

  /** A copy of this network whose parameters have type {@code type} (float64 for exact tests). */
  public Network copy(DataType type) {
    Network net = new Network(arch, parent, type);
    net.setParameters(parametersAsDouble());
    return net;
  }

  public Architecture architecture() {
    return arch;
  }

  /** The DJL block holding the parameters; its own forward equals {@link #logits} (dropout off). */
  public Block block() {
    return block;
  }

  public NDManager manager() {
    return manager;
  }

  public DataType dataType() {
    return weights.get(0).getArray().getDataType();
  }

  /** The live parameter arrays in flat order: W_0, b_0, W_1, b_1, ... (W_l has shape (out, in)). */
  public NDList parameters() {
    NDList list = new NDList();
    for (int l = 0; l < weights.size(); l++) {
      list.add(weights.get(l).getArray());
      list.add(biases.get(l).getArray());
    }
    return list;
  }

  /** All parameters as one flat vector in the documented order. */
  public double[] parametersAsDouble() {
    double[] theta = new double[arch.numParameters()];
    int off = 0;
    for (NDArray p : parameters()) {
      double[] values = p.toType(DataType.FLOAT64, false).toDoubleArray();
      System.arraycopy(values, 0, theta, off, values.length);
      off += values.length;
    }
    return theta;
  }

  /** Overwrites all parameters from one flat vector in the documented order. */
  public void setParameters(double[] theta) {
    if (theta.length != arch.numParameters()) {
      throw new IllegalArgumentException(
          "parameter vector has " + theta.length + " values: model " + arch.name() + " has "
              + arch.numParameters());
    }
    int off = 0;
    for (NDArray p : parameters()) {
      int size = (int) p.size();
      if (p.getDataType() == DataType.FLOAT64) {
        p.set(DoubleBuffer.wrap(theta, off, size).slice());
      } else {
        float[] values = new float[size];
        for (int k = 0; k < size; k++) {
          values[k] = (float) theta[off + k];
        }
        p.set(FloatBuffer.wrap(values));
      }
      off += size;
    }
  }

  /** Logits in inference mode (dropout off), shape (B, classes), in {@code x}'s manager. */
  public NDArray logits(NDArray x) {
    return forward(x, parameters(), DropoutMasks.NONE, false).logits();
  }

  /**
   * The forward pass, written once for every use: training, per-example gradients and outputs.
   *
   * @param x inputs, shape (B, inputDim); results land in its manager
   * @param params parameters in {@link #parameters()} order (the live ones, or leaf copies)
   * @param masks dropout masks ({@link DropoutMasks#NONE} for inference)
   * @param withProbes add a zero tensor requiring gradients to each linear output
   */
  public ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes) {
    int layers = arch.numLinear();
    NDArray[] inputs = new NDArray[layers];
    NDArray[] probes = new NDArray[layers];
    NDManager scope = x.getManager();
    NDArray a = x.getDataType() == dataType() ? x : x.toType(dataType(), false);
    NDArray z = null;
    for (int l = 0; l < layers; l++) {
      inputs[l] = a;
      z = Linear.linear(a, params.get(2 * l), params.get(2 * l + 1)).singletonOrThrow();
      if (withProbes) {
        probes[l] = scope.zeros(z.getShape(), z.getDataType());
        probes[l].setRequiresGradient(true);
        z = z.add(probes[l]);
      }
      if (l < layers - 1) {
        a = Activation.relu(z);
        if (masks.active()) {
          a = a.mul(masks.mask(l, a.getShape(), a.getDataType(), scope));
        }
      }
    }
    return new ForwardTrace(z, inputs, probes);
  }

  @Override
  public void close() {
    manager.close();
  }
}
