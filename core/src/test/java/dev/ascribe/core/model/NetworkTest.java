package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class NetworkTest {
  @Test
  void mnistArchitecturesHaveTheDocumentedParameterCounts() {
    assertEquals(7850, FeedForwardSpec.logisticRegression(784, 10).numParameters());
    FeedForwardSpec mlp = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1);
    assertEquals(109386, mlp.numParameters());
    assertEquals(784 * 128 + 128, mlp.offsetOf(1));
    assertEquals("mlp-128-64", mlp.name());
    assertEquals(mlp, FeedForwardSpec.fromMap(mlp.toMap()));
  }

  @Test
  void initializationIsSeededAndWithinPyTorchsDefaultBounds() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1);
    try (NDManager m = NDManager.newBaseManager();
        Network a = Network.initialize(arch, m, 5);
        Network b = Network.initialize(arch, m, 5)) {
      double[] theta = a.parametersAsDouble();
      assertArrayEquals(theta, b.parametersAsDouble());
      for (int k = 0; k < 784 * 128 + 128; k++) {
        assertTrue(Math.abs(theta[k]) <= 1 / Math.sqrt(784), "first layer within 1/sqrt(784)");
      }
    }
  }

  @Test
  void functionalForwardEqualsTheDjlBlocksInferenceForward() {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5, 4}, 3, 0.1);
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(arch, m, 2)) {
      NDArray x = m.randomUniform(0, 1, new Shape(4, 6));
      float[] ours = net.logits(x).toFloatArray();
      float[] djl = net.block().forward(new ParameterStore(m, false), new NDList(x), false)
          .singletonOrThrow().toFloatArray();
      assertArrayEquals(djl, ours, 1e-6f);
    }
  }

  @Test
  void saveAndLoadRoundTripsExactly() throws IOException {
    FeedForwardSpec arch = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0);
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(arch, m, 9)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      net.save(bytes);
      try (Model back = arch.open(m, DataType.FLOAT32)) {
        back.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(net.parametersAsDouble(), back.parametersAsDouble());
      }
      FeedForwardSpec other = FeedForwardSpec.mlp(6, new int[] {7}, 3, 0);
      try (Model wrong = other.open(m, DataType.FLOAT32)) {
        assertThrows(IOException.class,
            () -> wrong.load(new ByteArrayInputStream(bytes.toByteArray())));
      }
    }
  }

  @Test
  void invalidArchitecturesAreRejected() {
    assertEquals("model dropout given 1.0: must be in [0, 1)",
        assertThrows(IllegalArgumentException.class,
            () -> FeedForwardSpec.mlp(3, new int[] {2}, 2, 1.0)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FeedForwardSpec.mlp(3, new int[0], 2, 0)).getMessage().contains("use lr"));
  }
}
