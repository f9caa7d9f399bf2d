package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.provenance.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end on a small MNIST slice. */
class TrainCommandTest {
  @Test
  void trainsSavesCheckpointsWritesProvenanceAndReuses(@TempDir Path out) throws Exception {
    String[] args = {"train", "--conf", "conf/mnist-lr.conf", "--out", out.toString(),
        "--set", "data.train.count=500", "--set", "train.epochs=2", "--set",
        "train.checkpoints=[1]", "--set", "models=2"};
    assertEquals(0, Main.run(args));
    for (int m = 0; m < 2; m++) {
      assertTrue(Files.exists(out.resolve("models/m" + m + "/epoch-1.params")));
      assertTrue(Files.exists(out.resolve("models/m" + m + "/epoch-2.params")));
      assertTrue(Files.exists(out.resolve("models/m" + m + "/model.json")));
    }
    Map<String, Object> prov = Provenance.read(out.resolve("models"));
    assertEquals("train", prov.get("job"));
    assertTrue(prov.toString().contains("data.train.count"), "explicit options recorded");
    byte[] before = Files.readAllBytes(out.resolve("models/m1/epoch-2.params"));
    assertEquals(0, Main.run(args));
    assertEquals(java.util.Arrays.toString(before),
        java.util.Arrays.toString(Files.readAllBytes(out.resolve("models/m1/epoch-2.params"))));
  }

  @Test
  void badOptionsExitWithAClearMessage(@TempDir Path out) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run("train", "--conf", "conf/mnist-lr.conf", "--out", out.toString(),
          "--set", "projection.dimm=3"));
      assertEquals(2, Main.run("train", "--conf", "conf/mnist-lr.conf", "--out", out.toString(),
          "--data", out.resolve("nowhere").toString()));
    } finally {
      System.setErr(saved);
    }
    String text = err.toString();
    assertTrue(text.contains("unknown key 'projection.dimm'"), text);
    assertTrue(text.contains("nowhere"), text);
  }
}
