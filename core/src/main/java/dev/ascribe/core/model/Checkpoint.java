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
 * <p>{@code weight} is the checkpoint's coefficient in methods that sum over checkpoints (TracIn's
 * learning rate η_c); methods that average ignore it.
 */
public final class Checkpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ModelSpec arch;
  private final float[] parameters;
  private final double weight;

  private Checkpoint(String name, ModelSpec arch, float[] parameters, double weight) {
    this.name = Objects.requireNonNull(name, "name");
    this.arch = arch;
    this.parameters = parameters;
    this.weight = weight;
    if (parameters.length != arch.numParameters()) {
      throw new IllegalArgumentException("checkpoint " + name + " has " + parameters.length
          + " parameters: model " + arch + " needs " + arch.numParameters());
    }
  }

  /** A snapshot of a model's current parameters. */
  public static Checkpoint of(String name, Model net) {
    double[] theta = net.parametersAsDouble();
    float[] p = new float[theta.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) theta[i];
    }
    return new Checkpoint(name, net.spec(), p, 1.0);
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
    return new Checkpoint(name, arch, parameters, newWeight);
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

  /** A new float32 model holding these parameters, in a sub-manager of {@code manager}. */
  public Model open(NDManager manager) {
    Model net = arch.open(manager, DataType.FLOAT32);
    double[] theta = new double[parameters.length];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = parameters[i];
    }
    net.setParameters(theta);
    return net;
  }

  @Override
  public String toString() {
    return name + " (" + arch.name() + ")";
  }
}
