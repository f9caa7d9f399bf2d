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
      String sha = store.save(0, 1, net);
      assertEquals(dev.ascribe.core.provenance.Hashes.sha256(dir.resolve("m0/epoch-1.params")), sha,
          "a finite model is saved; its SHA-256 is the file's");
      double[] theta = net.parametersAsDouble();
      theta[5] = Double.NaN;
      net.setParameters(theta);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.save(0, 2, net));
      assertTrue(e.getMessage().startsWith("model m0 epoch 2: parameter 5 of 15 is NaN"),
          e.getMessage());
      assertTrue(e.getMessage().contains("train.lr"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("m0/epoch-2.params")), "nothing written for epoch 2");
    }
  }
}
