package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in MLP checkpoint that the TorchScript fixture {@code torchscript/mlp.pt} reproduces:
 * MNIST's 784-128-64-10 MLP initialized with seed {@link #SEED}. Its {@link #main} writes the flat
 * parameters (float32 little-endian) for {@code tools/export_torchscript.py mlp}:
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:$(cat cp.txt) \
 *     dev.ascribe.core.model.BuiltInMlpFixture /tmp/theta.f32
 * /usr/bin/python3 tools/export_torchscript.py mlp --dims 784 128 64 10 --params /tmp/theta.f32 \
 *     --out core/src/test/resources/torchscript/mlp.pt
 * </pre>
 */
final class BuiltInMlpFixture {
  /** The built-in model's seed. */
  static final long SEED = 16;

  private BuiltInMlpFixture() {}

  /** The built-in MLP the fixture was exported from. */
  static FeedForwardSpec spec() {
    return FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0);
  }

  /** Its parameters, a new model in a sub-manager of {@code manager}. */
  static Network open(NDManager manager) {
    return Network.initialize(spec(), manager, SEED);
  }

  public static void main(String[] args) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(); Network net = open(manager)) {
      double[] theta = net.parametersAsDouble();
      ByteBuffer buffer = ByteBuffer.allocate(4 * theta.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : theta) {
        buffer.putFloat((float) v);
      }
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
        out.write(buffer.array());
      }
    }
  }
}
