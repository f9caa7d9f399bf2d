package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

/**
 * One parameter set θ of a model (a trained model, or one epoch of it), held as plain Java data so
 * it can be shipped to any thread or executor and opened there as a {@link Model}.
 *
 * <p>It also holds the model's non-parameter state ({@link Model#stateAsDouble()}, such as batch
 * normalization's running statistics; empty for most kinds), which {@link #open} restores.
 *
 * <p>{@code weight} is the checkpoint's coefficient in methods that sum over checkpoints (TracIn's
 * learning rate η_c); methods that average ignore it.
 */
public final class Checkpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ModelSpec arch;
  private final float[] parameters;
  private final float[] state;
  private final double weight;

  private Checkpoint(String name, ModelSpec arch, float[] parameters, float[] state,
      double weight) {
    this.name = Objects.requireNonNull(name, "name");
    this.arch = arch;
    this.parameters = parameters;
    this.state = state;
    this.weight = weight;
    if (parameters.length != arch.numParameters()) {
      throw new IllegalArgumentException("checkpoint " + name + " has " + parameters.length
          + " parameters: model " + arch + " needs " + arch.numParameters());
    }
    if (state.length != arch.stateSize()) {
      throw new IllegalArgumentException("checkpoint " + name + " has " + state.length
          + " state values: model " + arch + " needs " + arch.stateSize());
    }
  }

  /** A snapshot of a model's current parameters and state. */
  public static Checkpoint of(String name, Model net) {
    return new Checkpoint(name, net.spec(), toFloats(net.parametersAsDouble()),
        toFloats(net.stateAsDouble()), 1.0);
  }

  private static float[] toFloats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return d;
  }

  /** Epoch {@code epoch} of model {@code model} in a run folder's model store (hash-checked). */
  public static Checkpoint fromStore(ModelStore store, int model, int epoch) throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        Model net = store.load(model, epoch, manager)) {
      return of("m" + model + "/epoch-" + epoch, net);
    }
  }

  /** The same parameters with coefficient {@code weight} (e.g. a learning rate). */
  public Checkpoint withWeight(double newWeight) {
    return new Checkpoint(name, arch, parameters, state, newWeight);
  }

  public String name() {
    return name;
  }

  public ModelSpec spec() {
    return arch;
  }

  public double weight() {
    return weight;
  }

  /** A new float32 model holding these parameters and state, in a sub-manager of {@code manager}. */
  public Model open(NDManager manager) {
    Model net = arch.open(manager, DataType.FLOAT32);
    net.setParameters(toDoubles(parameters));
    if (state.length > 0) {
      net.setState(toDoubles(state));
    }
    return net;
  }

  @Override
  public String toString() {
    return name + " (" + arch.name() + ")";
  }
}
