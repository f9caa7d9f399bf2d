package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  @TempDir Path dir;

  @Test
  void aModelWithANonFiniteParameterIsNeverSaved() throws Exception {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(4, 3);
    ModelStore store = new ModelStore(dir);
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(arch, m, 1)) {
      assertEquals(64, store.save(0, 1, net).length(), "a finite model is saved, SHA-256 hex");
      double[] theta = net.parametersAsDouble();
      theta[5] = Double.NaN;
      net.setParameters(theta);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.save(0, 2, net));
      assertTrue(e.getMessage().startsWith("model m0 epoch 2: parameter 5 of 15 is NaN"),
          e.getMessage());
      assertTrue(e.getMessage().contains("train.lr"), e.getMessage());
      assertFalse(Files.exists(store.paramsFile(0, 2)), "nothing written for epoch 2");
    }
  }
}
