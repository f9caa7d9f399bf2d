package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** select-lambda and sweep refuse bad input before any work. */
class SelectLambdaCommandTest {
  @Test
  void validationOverlappingTheEvaluationQueriesIsRefused(@TempDir Path out) {
    String text = errorOf("select-lambda", "--conf", "conf/mnist-lr.conf", "--out",
        out.toString(), "--set", "data.validation.offset=450");
    assertTrue(text.contains("option data.validation") && text.contains("overlaps data.queries"),
        text);
  }

  @Test
  void sweepAxesAreChecked(@TempDir Path out) {
    String text = errorOf("sweep", "--conf", "conf/mnist-lr.conf", "--out", out.toString(),
        "--groundtruth", out.toString(), "--over", "batch=1,2");
    assertTrue(text.contains("--over given 'batch=1,2'"), text);
  }

  private static String errorOf(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run(args));
    } finally {
      System.setErr(saved);
    }
    return err.toString();
  }
}
