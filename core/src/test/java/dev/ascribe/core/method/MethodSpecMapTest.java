package dev.ascribe.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.ascribe.core.project.ProjectionKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provenance read back into options: a spec's map, through JSON as a stage record stores it. */
class MethodSpecMapTest {
  /** The spec's map written to JSON and read back, as a stage record stores it. */
  static MethodSpec throughJson(MethodSpec spec) {
    Gson gson = new Gson();
    Map<String, Object> read = gson.fromJson(gson.toJson(spec.toMap()),
        new TypeToken<Map<String, Object>>() {}.getType());
    return MethodSpec.fromMap(read);
  }

  @Test
  void everyMethodReadsBackEqualWithDefaultAndGivenLambda() {
    for (Method m : Method.values()) {
      MethodSpec defaulted = new MethodSpec(m.cliName(), "neg-loss", 64, ProjectionKind.RADEMACHER,
          12345, MethodSpec.DEFAULT_LAMBDA, 32);
      assertEquals(defaulted, throughJson(defaulted), m.cliName());
      MethodSpec given = new MethodSpec(m.cliName(), "margin", 0, ProjectionKind.GAUSSIAN, 7,
          "0.05", 128);
      assertEquals(given, throughJson(given), m.cliName());
      assertEquals(given.toMap(), MethodSpec.fromMap(given.toMap()).toMap(), m.cliName());
    }
  }

  @Test
  void methodOptionsReadBack() {
    MethodSpec spec = new MethodSpec("if-cg", "margin", 0, ProjectionKind.GAUSSIAN, 0, "0.05", 64,
        Map.of("iterations", "10"));
    MethodSpec back = throughJson(spec);
    assertEquals(spec, back);
    assertEquals("10", back.toMap().get("if-cg.iterations"));
  }

  @Test
  void aDefaultedLambdaIsNotTheSameSpecAsItsValueGiven() {
    // if-cg raises its default λ above negative curvature; the same value given is taken as is.
    MethodSpec defaulted = new MethodSpec("if-cg", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        MethodSpec.DEFAULT_LAMBDA, 64);
    MethodSpec given = new MethodSpec("if-cg", "margin", 0, ProjectionKind.GAUSSIAN, 0,
        defaulted.lambdaSpec().toString(), 64);
    assertNotEquals(defaulted, given);
    assertTrue(defaulted.toMap().containsKey(MethodSpec.LAMBDA_DEFAULTED));
    assertEquals(defaulted, throughJson(defaulted));
  }

  @Test
  void aBadMapNamesTheKey() {
    Map<String, Object> m = new LinkedHashMap<>(new MethodSpec("trak", "margin", 512,
        ProjectionKind.GAUSSIAN, 0, "auto", 128).toMap());
    m.put("projection.dim", 1.5);
    Exception e = assertThrows(IllegalArgumentException.class, () -> MethodSpec.fromMap(m));
    assertTrue(e.getMessage().contains("projection.dim = 1.5"), e.getMessage());
    m.remove("target");
    e = assertThrows(IllegalArgumentException.class, () -> MethodSpec.fromMap(m));
    assertTrue(e.getMessage().contains("target"), e.getMessage());
  }
}
