package dev.ascribe.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.feature.FactorizedDims;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.project.ProjectionKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code projection.kind = factorized} through the method spec: every projected method. */
class FactorizedMethodsTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(6, new int[] {5}, 3, 0);

  private static MethodSpec spec(String method, int k) {
    return new MethodSpec(method, "margin", k, ProjectionKind.FACTORIZED, 3, "0.01", 8);
  }

  @Test
  void everyProjectedMethodHasFeaturesOfWidthK() {
    Checkpoint c;
    try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(ARCH, m, 2)) {
      c = Checkpoint.of("c", net);
    }
    for (String method : List.of("trak", "tracin", "grad-dot", "grad-cos", "if-fim")) {
      // The rule's K' = k, and given sides with K' = 2 · 3 + 2 · 3 = 12 followed by the SJLT.
      for (MethodSpec spec : List.of(spec(method, 11), spec(method, 16),
          spec(method, 11).withProjectionSides("2", "3"))) {
        assertEquals(spec.projectionDim(), spec.featureDim(ARCH), method);
        assertEquals(spec.projectionDim(),
            spec.create(List.of(c), 1).gradientMap(0).outputDim(), method);
      }
    }
    assertEquals(12, FactorizedDims.of(ARCH, 11, new int[] {2}, new int[] {3}).width());
  }

  @Test
  void sideDimensionsReadBackAndOtherKindsKeepTheirMaps() {
    MethodSpec auto = spec("trak", 64);
    assertEquals("auto", auto.toMap().get("projection.out"));
    assertEquals(auto, MethodSpecMapTest.throughJson(auto));
    MethodSpec given = auto.withProjectionSides("4", "[3, 2]");
    assertEquals("4", given.projectionOut());
    assertEquals("3,2", given.projectionIn());
    assertEquals(given, MethodSpecMapTest.throughJson(given));
    assertFalse(given.equals(auto));
    MethodSpec gaussian = new MethodSpec("trak", "margin", 64, ProjectionKind.GAUSSIAN, 3, "0.01",
        8);
    assertFalse(gaussian.toMap().containsKey("projection.out"));
    assertFalse(gaussian.toMap().containsKey("projection.in"));
  }

  @Test
  void misusesAreRejectedNamingTheOption() {
    MethodSpec gaussian = new MethodSpec("trak", "margin", 64, ProjectionKind.GAUSSIAN, 3, "0.01",
        8);
    assertEquals("option projection.out given 8 with projection.kind gaussian: only factorized"
        + " has side dimensions (leave it auto)", assertThrows(IllegalArgumentException.class,
            () -> gaussian.withProjectionSides("8", "auto")).getMessage());
    assertEquals("option projection.in given [-2]: expected auto, one dimension >= 0 for every"
        + " linear layer, or one per layer (0 keeps the side whole)",
        assertThrows(IllegalArgumentException.class,
            () -> spec("trak", 64).withProjectionSides("auto", "-2")).getMessage());
    assertEquals("option projection.kind given factorized for logra: logra is already"
        + " factorized (logra.in, logra.out); its sides take gaussian, rademacher or sjlt",
        assertThrows(IllegalArgumentException.class, () -> spec("logra", 64)).getMessage());
    assertEquals("option projection.out given 3 dimensions: " + ARCH.name() + " has 2 linear"
        + " layers; give one value for all or one per layer",
        assertThrows(IllegalArgumentException.class, () -> spec("trak", 64)
            .withProjectionSides("1,2,3", "auto").featureDim(ARCH)).getMessage());
  }
}
