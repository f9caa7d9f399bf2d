package dev.ascribe.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What the models that keep their parameters as a list of arrays in a sub-manager of their own
 * share (ResNet-9, the GPT, an imported TorchScript module): the accessors over that list in
 * {@link ModelSpec#layout()} order, closing, and the plain parameter file "magic, count, float32
 * values in flat order".
 *
 * @param <S> the spec type
 */
abstract class ArrayModel<S extends ModelSpec> implements Model {
  private final S spec;
  private final NDManager parent;
  private final NDManager manager;
  private final NDList parameters;

  /**
   * @param parent the manager copies open in
   * @param manager this model's own sub-manager, closed with it
   * @param parameters the parameter arrays (filled by the subclass if empty here)
   */
  ArrayModel(S spec, NDManager parent, NDManager manager, NDList parameters) {
    this.spec = spec;
    this.parent = parent;
    this.manager = manager;
    this.parameters = parameters;
  }

  @Override
  public S spec() {
    return spec;
  }

  /** The manager {@link #copy} opens new models in. */
  NDManager parent() {
    return parent;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public DataType dataType() {
    return parameters.get(0).getDataType();
  }

  @Override
  public NDList parameters() {
    return parameters;
  }

  @Override
  public double[] parametersAsDouble() {
    return FlatParameters.read(parameters, spec.numParameters());
  }

  @Override
  public void setParameters(double[] theta) {
    FlatParameters.write(parameters, theta, spec.numParameters(), spec.name());
  }

  /** Writes {@code magic}, the parameter count and the float32 parameters in flat order. */
  void writeParameters(OutputStream out, int magic) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    data.writeInt(magic);
    data.writeInt(spec.numParameters());
    for (double v : parametersAsDouble()) {
      data.writeFloat((float) v);
    }
    data.flush();
  }

  /** Reads a file {@link #writeParameters} wrote with {@code magic} into the parameters. */
  void readParameters(InputStream in, int magic) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in));
    try {
      int found = data.readInt();
      int count = data.readInt();
      if (found != magic || count != spec.numParameters()) {
        throw new IOException("parameter file of " + count + " values (header "
            + Integer.toHexString(found) + "): model " + spec.name() + " expects "
            + Integer.toHexString(magic) + " and " + spec.numParameters() + " values");
      }
      double[] theta = new double[count];
      for (int i = 0; i < count; i++) {
        theta[i] = data.readFloat();
      }
      setParameters(theta);
    } catch (EOFException e) {
      throw new IOException("parameter file for model " + spec.name() + " is truncated", e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
