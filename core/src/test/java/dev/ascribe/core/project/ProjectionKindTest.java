package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind through the one factory: its reference entries are the matrix its session applies. */
class ProjectionKindTest {
  private static final int K = 12;
  private static final int D = 70;

  private static Projection projection(ProjectionKind kind) {
    return Projection.of(ProjectionOptions.builder().setDim(K).optKind(kind).optSeed(3)
        .optBlockSize(32).build(), D);
  }

  /** The session's matrix, read back by projecting the identity: row j of I P^T is column j of P. */
  private static double[][] applied(Projection p) {
    try (NDManager m = NDManager.newBaseManager(); Projector session = p.open(m)) {
      NDArray identity = m.eye(D).toType(DataType.FLOAT64, false);
      double[] out = session.project(identity).toDoubleArray();
      double[][] matrix = new double[K][D];
      for (int j = 0; j < D; j++) {
        for (int r = 0; r < K; r++) {
          matrix[r][j] = out[j * K + r];
        }
      }
      return matrix;
    }
  }

  @Test
  void everyKindsEntriesAreTheMatrixItsProjectorApplies() {
    for (ProjectionKind kind : ProjectionKind.values()) {
      if (kind == ProjectionKind.FACTORIZED) {
        continue; // no vector projection: FactorizedProjectionTest checks it per layer
      }
      Projection p = projection(kind);
      assertEquals(kind, p.options().kind());
      assertEquals(D, p.inputDim());
      assertEquals(K, p.outputDim());
      double[][] applied = applied(p);
      for (int r = 0; r < K; r++) {
        for (int j = 0; j < D; j++) {
          assertEquals(p.entry(r, j), applied[r][j], kind + " entry (" + r + ", " + j + ")");
        }
      }
    }
  }

  /** Pins the old bug: entry() read every kind but Gaussian as Rademacher. */
  @Test
  void rademacherEntriesAreSignsAndGaussianEntriesAreNot() {
    double sign = 1 / Math.sqrt(K);
    Projection rademacher = projection(ProjectionKind.RADEMACHER);
    Projection gaussian = projection(ProjectionKind.GAUSSIAN);
    int gaussianSigns = 0;
    for (int r = 0; r < K; r++) {
      for (int j = 0; j < D; j++) {
        assertEquals(sign, Math.abs(rademacher.entry(r, j)), "rademacher (" + r + ", " + j + ")");
        gaussianSigns += Math.abs(gaussian.entry(r, j)) == sign ? 1 : 0;
      }
    }
    assertEquals(0, gaussianSigns);
  }

  @Test
  void kindsHaveLowerCaseOptionNames() {
    assertEquals(List.of("gaussian", "rademacher", "sjlt", "factorized"),
        ProjectionKind.optionNames());
    for (ProjectionKind kind : ProjectionKind.values()) {
      assertEquals(kind, ProjectionKind.fromName(kind.optionName()));
      assertEquals(kind, ProjectionKind.fromName(kind.name()));
    }
  }

  @Test
  void anUnknownKindIsRejectedNamingTheOptionAndTheKindsImplemented() {
    for (String name : new String[] {"sparse", "", " gaussian"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ProjectionKind.fromName(name));
      assertEquals("option projection.kind given " + name
          + ": expected one of gaussian, rademacher, sjlt, factorized", e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProjectionKind.fromName(null));
    assertTrue(e.getMessage().startsWith("option projection.kind given null"), e.getMessage());
  }

  @Test
  void describeNamesTheKindAndDiffersBetweenKinds() {
    Projection g = projection(ProjectionKind.GAUSSIAN);
    Projection r = projection(ProjectionKind.RADEMACHER);
    assertEquals("GAUSSIAN", g.describe().get("kind"));
    assertEquals("RADEMACHER", r.describe().get("kind"));
    assertFalse(g.describe().equals(r.describe()));
  }
}
