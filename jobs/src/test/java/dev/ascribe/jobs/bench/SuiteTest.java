package dev.ascribe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.method.MethodSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The MNIST suite covers every method on both settings; its table shows what was measured. */
class SuiteTest {
  @Test
  void mnistSuiteRunsEveryMethodOnBothSettings() {
    Suite suite = Suite.load("mnist");
    assertEquals(List.of("mnist-lr", "mnist-mlp"),
        suite.settings().stream().map(Suite.Setting::name).toList());
    for (Suite.Setting s : suite.settings()) {
      Set<String> methods = new TreeSet<>();
      s.entries().forEach(e -> methods.add(e.method()));
      assertEquals(new TreeSet<>(MethodSpec.METHODS), methods, s.name());
    }
    assertEquals(0.65, suite.settings().get(0).entries().get(0).published().get("lds"));
  }

  @Test
  void shakespeareSuiteRunsTheLdsMethodsWithoutLooGroundTruth() {
    Suite suite = Suite.load("shakespeare");
    Suite.Setting gpt = suite.settings().get(0);
    assertEquals("shakespeare-gpt", gpt.name());
    assertFalse(gpt.loo());
    assertTrue(Suite.load("mnist").settings().get(0).loo(), "loo defaults to true");
    assertEquals(List.of("TRAK-1", "TRAK-10", "TracIn"),
        gpt.entries().subList(0, 3).stream().map(SuiteEntry::label).toList());
    assertEquals(0.04, gpt.entries().get(0).published().get("lds"));
    for (SuiteEntry e : gpt.entries()) {
      assertTrue(e.sets().contains("bench.loo=false"), e.label());
    }
  }

  @Test
  void unknownSuiteIsRefusedByName() {
    String message = assertThrows(IllegalArgumentException.class, () -> Suite.load("imagenet"))
        .getMessage();
    assertTrue(message.contains("--suite given imagenet"), message);
    assertTrue(message.contains("mnist, cifar"), message);
  }

  @Test
  void cifarSuiteHasLdsOnCifar2AndAucOnCifar10WithTheHessianMethodsNotRun() {
    Suite suite = Suite.load("cifar");
    assertEquals(List.of("cifar2-resnet9", "cifar10-resnet9"),
        suite.settings().stream().map(Suite.Setting::name).toList());
    Suite.Setting cifar2 = suite.settings().get(0);
    assertEquals(false, cifar2.loo());
    assertEquals(true, Suite.load("mnist").settings().get(0).loo());
    assertEquals(0.26, cifar2.entries().get(1).published().get("lds"));
    assertEquals(0.66, suite.settings().get(1).entries().get(0).published().get("auc"));
    // The Hessian methods: on cifar2 the explicit (last layer) and Arnoldi rows run with the
    // Gauss-Newton curvature, CG and LiSSA are not run; on cifar10 none is; every other row runs.
    for (Suite.Setting s : suite.settings()) {
      for (SuiteEntry e : s.entries()) {
        boolean hessian = e.method().startsWith("if-") && !e.method().equals("if-fim");
        boolean solves = e.method().equals("if-cg") || e.method().equals("if-lissa");
        boolean skipped = hessian && (s.name().equals("cifar10-resnet9") || solves);
        assertEquals(skipped, !e.notRun().isEmpty(), s.name() + " " + e.label());
        assertTrue(!skipped || e.notRun().contains("Gauss-Newton product"), e.notRun());
      }
    }
  }

  @Test
  void tableShowsEveryMetricAndFailures() {
    Map<String, Object> ok = Map.of("setting", "mnist-lr", "label", "IF-CG", "status", "ok",
        "lds", Map.of("mean", 0.8512, "stderr", 0.0041), "loo", Map.of("mean", 0.7, "stderr",
            0.01), "noisy_label_auc", Map.of("auc", 0.981), "published", Map.of("lds", 0.8),
        "seconds", Map.of("method_total", 12.3), "peak_rss_mib", 2048.0);
    Map<String, Object> failed = Map.of("setting", "mnist-mlp", "label", "IF-LiSSA", "status",
        "timed out");
    String md = ResultsTable.markdown("mnist", "bin/ascribe bench --suite mnist", List.of(ok,
        failed));
    assertTrue(md.contains("| mnist-lr | IF-CG | 0.851 ± 0.004 | 0.80 | 0.700 ± 0.010 | 0.981"
        + " | – | 12.3 | 2048 | ok |"), md);
    assertTrue(md.contains("| mnist-mlp | IF-LiSSA | – | – | – | – | – | – | – | timed out |"), md);
    assertEquals("if-explicit-last-layer", SuiteRunner.slug("IF-explicit (last layer)"));
  }
}
