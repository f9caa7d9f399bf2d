package dev.ascribe.core.method;

import dev.ascribe.core.precondition.InfluenceOptions;
import dev.ascribe.core.precondition.PreconditionerSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The method registry: its facts, options parsed once, and the defaults it is the one place of. */
class MethodRegistryTest {
  private static MethodSpec spec(String method, String lambda, Map<String, String> options) {
    return new MethodSpec(method, "margin", 4, ProjectionKind.GAUSSIAN, 3, lambda, 16, options);
  }

  @Test
  void everyMethodIsFoundByItsCommandLineName() {
    assertEquals(List.of("trak", "grad-dot", "if-fim", "tracin", "grad-cos", "rps", "logra",
        "if-explicit", "if-cg", "if-lissa", "if-arnoldi", "if-kfac", "if-ekfac"),
        MethodSpec.METHODS);
    for (Method m : Method.values()) {
      assertSame(m, Method.parse(m.cliName()));
      assertSame(m, spec(m.cliName(), "default", Map.of()).definition());
    }
    Exception e = assertThrows(IllegalArgumentException.class, () -> Method.parse("magic"));
    assertTrue(e.getMessage().startsWith("option method given magic: expected one of trak, "),
        e.getMessage());
  }

  @Test
  void trakDefaultLambdaIsTheRegistrysInMemoryAndInASpec() {
    LambdaSpec registry = LambdaSpec.parse(Method.TRAK.defaultLambda());
    assertEquals(LambdaSpec.auto(), registry);
    assertEquals(registry, TrakOptions.builder().build().lambda());
    assertEquals(registry, spec("trak", MethodSpec.DEFAULT_LAMBDA, Map.of()).lambdaSpec());
  }

  @Test
  void trakBuiltWithoutLambdaScoresAsAutoNotAsZero() {
    FeedForwardSpec arch = FeedForwardSpec.logisticRegression(5, 3);
    Dataset train = GradDotAttributorTest.tiny(12, 5, 3, 1, "train");
    Dataset queries = GradDotAttributorTest.tiny(3, 5, 3, 2, "queries");
    AttributionTask task = AttributionTask.builder()
        .setCheckpoints(List.of(GradDotAttributorTest.checkpoint(arch, 1))).optBatchSize(4)
        .build();
    ScoreMatrix byDefault = new TrakAttributor(task, TrakOptions.builder().optProjectionDim(6)
        .build()).attribute(train, queries);
    ScoreMatrix auto = new TrakAttributor(task, TrakOptions.builder().optProjectionDim(6)
        .optLambda(LambdaSpec.auto()).build()).attribute(train, queries);
    ScoreMatrix zero = new TrakAttributor(task, TrakOptions.builder().optProjectionDim(6)
        .optLambda(LambdaSpec.absolute(0)).build()).attribute(train, queries);
    for (int q = 0; q < 3; q++) {
      assertTrue(java.util.Arrays.equals(auto.column(q), byDefault.column(q)), "query " + q);
    }
    assertNotEquals(zero.get(0, 0), byDefault.get(0, 0));
  }

  @Test
  void optionsAreParsedOnceIntoTheMethodsTypedOptions() {
    MethodSpec logra = spec("logra", "default", Map.of("in", "3", "inner", "fisher"));
    assertSame(logra.lograOptions(), logra.lograOptions());
    assertEquals(8, logra.lograOptions().out()[0]);
    assertEquals(PreconditionerSource.FEATURE_KERNEL, logra.preconditionerSource());
    assertEquals(PreconditionerSource.IDENTITY,
        spec("logra", "default", Map.of()).preconditionerSource());
    assertNull(logra.rpsOptions());
    MethodSpec rps = spec("rps", "default", Map.of("iterations", "7"));
    assertSame(rps.rpsOptions(), rps.rpsOptions());
    assertEquals(new RpsOptions(0.003, 1e-5, 7), rps.rpsOptions());
    assertEquals(RpsOptions.defaults(), spec("rps", "default", Map.of()).rpsOptions());
    MethodSpec cg = spec("if-cg", "default", Map.of());
    assertSame(cg.influenceOptions(), cg.influenceOptions());
  }

  @Test
  void optionDefaultsComeFromTheDeclarations() {
    for (Method m : Method.values()) {
      for (OptionSpec o : m.options()) {
        // Every declared default is accepted as if given.
        spec(m.cliName(), "default", Map.of(o.name(), o.defaultValue()));
      }
    }
    assertEquals(Map.of("curvature", "auto", "iterations", "100", "tolerance", "1e-6"),
        spec("if-cg", "default", Map.of()).influenceOptions().options());
  }

  @Test
  void aMethodWithoutOptionsRefusesAnyByName() {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> spec("trak", "default", Map.of("dim", "4")));
    assertEquals("unknown option trak.dim: trak takes no options", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec("rps", "default", Map.of("lamda", "1")));
    assertEquals("unknown option rps.lamda: rps takes iterations, lambda, tolerance",
        e.getMessage());
  }

  @Test
  void factsOfTheMethods() {
    for (Method m : Method.values()) {
      assertEquals(m == Method.TRACIN ? CheckpointRule.LISTED_EPOCHS_BY_LEARNING_RATE
          : CheckpointRule.FINAL_EPOCH, m.checkpointRule(), m.cliName());
      boolean hessian = InfluenceOptions.Solver.ofMethod(m.cliName()) != null;
      boolean factored = m == Method.IF_KFAC || m == Method.IF_EKFAC;
      assertEquals(hessian || m == Method.RPS, m.needsTrainingRowsOnDriver(), m.cliName());
      assertEquals(m == Method.RPS, m.preparesCheckpoints(), m.cliName());
      MethodSpec s = spec(m.cliName(), "default", Map.of());
      assertEquals(m.cliName(), s.recipe().method());
      // Kronecker factors come from passes over the training rows, not from a feature kernel.
      assertEquals(s.recipe().kernel(), s.preconditionerSource() != PreconditionerSource.IDENTITY
          && !factored, m.cliName());
      assertEquals(factored, s.preconditionerSource() == PreconditionerSource.LAYER_FACTORS,
          m.cliName());
      assertEquals(hessian, s.preconditionerSource() == PreconditionerSource.TRAINING_DATA,
          m.cliName());
      assertEquals(m.projects(), s.projection() != null, m.cliName());
    }
  }

  @Test
  void theRegistrysPreconditionerSourceIsTheOneItsAttributorUses() {
    List<dev.ascribe.core.model.Checkpoint> checkpoints = List.of(
        GradDotAttributorTest.checkpoint(FeedForwardSpec.logisticRegression(5, 3), 1));
    for (Method m : Method.values()) {
      if (m == Method.RPS) {
        continue;  // scores refitted checkpoints only; its source is the identity (above)
      }
      for (Map<String, String> options : m == Method.LOGRA
          ? List.of(Map.of("inner", "identity"), Map.of("inner", "fisher"))
          : List.of(Map.<String, String>of())) {
        MethodSpec s = new MethodSpec(m.cliName(), "margin", 4, ProjectionKind.GAUSSIAN, 0,
            "default", 8, options);
        assertEquals(s.preconditionerSource(), s.create(checkpoints, 1).preconditionerSource(),
            m.cliName() + " " + options);
      }
    }
  }

  @Test
  void targetIsAnEnumWithTheCommandLineSpelling() {
    assertEquals("neg-loss", new MethodSpec("grad-dot", "neg-loss", 4, ProjectionKind.GAUSSIAN,
        0, "default", 8).target());
    Exception e = assertThrows(IllegalArgumentException.class, () -> new MethodSpec("grad-dot",
        "loss", 4, ProjectionKind.GAUSSIAN, 0, "default", 8));
    assertEquals("option target given loss: expected margin or neg-loss", e.getMessage());
  }

  @Test
  void aSpecSurvivesSerializationAsExecutorsReceiveIt() throws Exception {
    MethodSpec original = spec("logra", "0.3x", Map.of("in", "3,2", "inner", "fisher"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      MethodSpec back = (MethodSpec) in.readObject();
      assertEquals(original, back);
      assertEquals(original.toMap(), back.toMap());
      assertEquals(original.lograOptions().toMap(), back.lograOptions().toMap());
      assertEquals(original.lambdaSpec(), back.lambdaSpec());
    }
  }
}
