package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@link Model} of a {@link ResNet9Spec}: its parameter arrays, the batch normalizations'
 * running statistics (the model's state), and the functional forward pass.
 *
 * <p>A pass whose masks are a training step's ({@link DropoutMasks#training()}) normalizes by
 * batch statistics and updates the running statistics in place (once per call: one call per
 * step); every other pass uses the running statistics.
 */
public final class ResNet9 extends ArrayModel<ResNet9Spec> {
  /** Version of {@link #save}'s file format. */
  static final int FILE_FORMAT = 1;
  // "RN9\0": files of another kind fail at once with a clear message.
  private static final int MAGIC = 0x524e3900;

  // Running mean and variance of unit u at 2u and 2u + 1.
  private final NDList state = new NDList();

  private ResNet9(ResNet9Spec spec, NDManager parent, DataType type) {
    super(spec, parent, parent.newSubManager(), new NDList());
    for (ParameterBlock b : spec.layout()) {
      parameters().add(manager().zeros(new ai.djl.ndarray.types.Shape(b.shape()), type));
    }
    for (int u = 0; u < ResNet9Spec.UNITS; u++) {
      int c = spec.conv(u).out();
      state.add(manager().zeros(new ai.djl.ndarray.types.Shape(c), type));
      state.add(manager().ones(new ai.djl.ndarray.types.Shape(c), type));
    }
  }

  /** A model of shape {@code spec}, zero parameters and fresh running statistics. */
  static ResNet9 open(ResNet9Spec spec, NDManager parent, DataType type) {
    return new ResNet9(spec, parent, type);
  }

  /**
   * A new float32 model with PyTorch's default initialization, drawn from {@code seed} on the JVM:
   * convolution and linear weights (and the linear bias) uniform in ±1/√fan_in (fan_in = Cin k k
   * for a convolution), γ = 1, β = 0, running mean 0 and variance 1.
   */
  static ResNet9 initialize(ResNet9Spec spec, NDManager parent, long seed) {
    ResNet9 net = new ResNet9(spec, parent, DataType.FLOAT32);
    double[] theta = new double[spec.numParameters()];
    List<ParameterBlock> layout = spec.layout();
    for (int u = 0; u < ResNet9Spec.UNITS; u++) {
      ParameterBlock w = layout.get(ResNet9Spec.weightBlock(u));
      uniform(theta, w.offset(), w.end(), 1.0 / Math.sqrt(spec.conv(u).patchWidth()),
          new SplittableRandom(Seeds.derive(seed, u)));
      java.util.Arrays.fill(theta, layout.get(ResNet9Spec.weightBlock(u) + 1).offset(),
          layout.get(ResNet9Spec.weightBlock(u) + 1).end(), 1.0);
    }
    ParameterBlock linearW = layout.get(ResNet9Spec.linearBlock());
    ParameterBlock linearB = layout.get(ResNet9Spec.linearBlock() + 1);
    uniform(theta, linearW.offset(), linearB.end(), 1.0 / Math.sqrt(spec.features()),
        new SplittableRandom(Seeds.derive(seed, ResNet9Spec.UNITS)));
    net.setParameters(theta);
    return net;
  }

  private static void uniform(double[] theta, int from, int to, double bound,
      SplittableRandom rng) {
    for (int k = from; k < to; k++) {
      theta[k] = (2 * rng.nextDouble() - 1) * bound;
    }
  }

  /** Each unit's running mean then running variance, in unit order. */
  @Override
  public double[] stateAsDouble() {
    return FlatParameters.read(state, spec().stateSize());
  }

  @Override
  public void setState(double[] values) {
    FlatParameters.write(state, values, spec().stateSize(), spec().name() + " state");
  }

  /**
   * Writes a header (magic, format version, parameter and state counts) and then the parameters
   * and the state as float32 big-endian, in flat order.
   */
  @Override
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    data.writeInt(MAGIC);
    data.writeInt(FILE_FORMAT);
    writeFloats(data, parametersAsDouble());
    writeFloats(data, stateAsDouble());
    data.flush();
  }

  private static void writeFloats(DataOutputStream data, double[] values) throws IOException {
    data.writeInt(values.length);
    for (double v : values) {
      data.writeFloat((float) v);
    }
  }

  @Override
  public void load(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in));
    try {
      int magic = data.readInt();
      int format = data.readInt();
      if (magic != MAGIC || format != FILE_FORMAT) {
        throw new IOException("not a " + spec().name() + " parameter file of format " + FILE_FORMAT
            + ": header " + Integer.toHexString(magic) + ", format " + format);
      }
      setParameters(readFloats(data, spec().numParameters(), "parameters"));
      setState(readFloats(data, spec().stateSize(), "state values"));
    } catch (EOFException e) {
      throw new IOException("parameter file for " + spec() + " is truncated", e);
    }
  }

  private double[] readFloats(DataInputStream data, int expected, String what)
      throws IOException {
    int count = data.readInt();
    if (count != expected) {
      throw new IOException("parameter file holds " + count + " " + what + ": model " + spec()
          + " has " + expected);
    }
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = data.readFloat();
    }
    return values;
  }

  @Override
  public ResNet9 copy(DataType type) {
    ResNet9 net = new ResNet9(spec(), parent(), type);
    net.setParameters(parametersAsDouble());
    net.setState(stateAsDouble());
    return net;
  }

  @Override
  public ForwardTrace forward(NDArray x, NDList p, DropoutMasks masks, boolean withProbes) {
    Pass pass = new Pass(p, masks, withProbes, x.getManager());
    NDArray in = x.getDataType() == dataType() ? x : x.toType(dataType(), false);
    long batch = in.getShape().get(0);
    int size = ResNet9Spec.IMAGE_SIZE;
    NDArray h = pass.dropout(0, Activation.relu(
        pass.convBn(0, in.reshape(batch, ResNet9Spec.IMAGE_CHANNELS, size, size))));
    for (int stage = 1; stage <= 3; stage++) {
      int first = 3 * stage - 2;
      NDArray main = pass.dropout(first, Activation.relu(pass.convBn(first, h)));
      main = pass.dropout(first + 1, Activation.relu(pass.convBn(first + 1, main)));
      NDArray shortcut = pass.dropout(first + 2, pass.convBn(first + 2, h));
      h = Activation.relu(main.add(shortcut));
    }
    NDArray pooled = h.mean(new int[] {3}).mean(new int[] {2});
    NDArray logits = Linear.linear(pooled, p.get(ResNet9Spec.linearBlock()),
        p.get(ResNet9Spec.linearBlock() + 1)).singletonOrThrow();
    return new ForwardTrace(pass.linearTap(pooled, logits), pass.taps, pass.blockProbes);
  }

  /** One forward pass's parameters, mode and captured taps. */
  private final class Pass {
    private final NDList p;
    private final DropoutMasks masks;
    private final boolean withProbes;
    private final NDManager scope;
    private final List<Tap> taps = new ArrayList<>();
    private final List<NDArray> blockProbes = new ArrayList<>();

    Pass(NDList p, DropoutMasks masks, boolean withProbes, NDManager scope) {
      this.p = p;
      this.masks = masks;
      this.withProbes = withProbes;
      this.scope = scope;
    }

    /**
     * Conv unit u, tapped at its positions, then its batch normalization. The tap's input is the
     * unfolded patches, taken outside the gradient graph (the engine's convolution carries the
     * gradient to x); its probe, (B, T, Cout), is added to the output.
     */
    NDArray convBn(int u, NDArray x) {
      Conv2d conv = spec().conv(u);
      int side = spec().outSize(u);
      NDArray z = conv.apply(x, p.get(ResNet9Spec.weightBlock(u)));
      NDArray patches;
      try (NDArray detached = x.stopGradient()) {
        patches = conv.unfold(detached);
      }
      NDArray probe = null;
      if (withProbes) {
        probe = scope.zeros(new ai.djl.ndarray.types.Shape(x.getShape().get(0),
            (long) side * side, conv.out()), z.getDataType());
        probe.setRequiresGradient(true);
        z = z.add(Conv2d.toImage(probe, side, side));
      }
      taps.add(new Tap(patches, probe));
      return BatchNorm.apply(z,
          probed(p.get(ResNet9Spec.weightBlock(u) + 1), x.getShape().get(0)),
          probed(p.get(ResNet9Spec.weightBlock(u) + 2), x.getShape().get(0)),
          state.get(2 * u), state.get(2 * u + 1), masks.training());
    }

    /**
     * A probed block as the pass uses it: with probes, block + probe where the probe is a zero
     * (B, C) array requiring gradients (each example its own copy of the block; recorded in
     * {@link ModelSpec#probedBlocks()} order, which is the order the units run in).
     */
    NDArray probed(NDArray block, long batch) {
      if (!withProbes) {
        return block;
      }
      NDArray probe = scope.zeros(new ai.djl.ndarray.types.Shape(batch, block.getShape().get(0)),
          block.getDataType());
      probe.setRequiresGradient(true);
      blockProbes.add(probe);
      return probe.add(block); // the probe first: the sum lands in the pass's manager
    }

    /**
     * Records the linear layer's tap, the last one (input a, output z), and returns z, plus a
     * probe if asked.
     */
    NDArray linearTap(NDArray input, NDArray z) {
      NDArray probe = null;
      if (withProbes) {
        probe = z.getManager().zeros(z.getShape(), z.getDataType());
        probe.setRequiresGradient(true);
        z = z.add(probe);
      }
      taps.add(new Tap(input, probe));
      return z;
    }

    /** Dropout after unit u in a training step with a positive rate; identity otherwise. */
    NDArray dropout(int u, NDArray a) {
      return masks.active()
          ? a.mul(masks.mask(u, a.getShape(), a.getDataType(), a.getManager())) : a;
    }
  }
}
