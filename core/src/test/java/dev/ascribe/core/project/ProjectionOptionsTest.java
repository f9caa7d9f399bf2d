package dev.ascribe.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProjectionOptionsTest {

  private static void assertRejected(String message, Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertEquals(message, e.getMessage());
  }

  @Test
  void defaultsAreDocumentedValues() {
    ProjectionOptions o = ProjectionOptions.builder().setDim(512).build();
    assertEquals(512, o.dim());
    assertEquals(ProjectionKind.SJLT, o.kind());
    assertEquals(1, o.sparsity());
    assertEquals(0L, o.seed());
    assertEquals(4096, o.blockSize());
    assertEquals(512L * 1024 * 1024, o.cacheBytes());
  }

  @Test
  void invalidValuesAreRejectedWithTheirValueAndRule() {
    assertRejected(
        "projection option dim given 0: must be >= 1",
        () -> ProjectionOptions.builder().setDim(0).build());
    assertRejected(
        "projection option dim given -4: must be >= 1",
        () -> ProjectionOptions.builder().setDim(-4).build());
    assertRejected(
        "projection option dim is required: call setDim(k) with k >= 1 (typically 512 to 8192)",
        () -> ProjectionOptions.builder().build());
    assertRejected(
        "projection option blockSize given -3: must be >= 1",
        () -> ProjectionOptions.builder().setDim(8).optBlockSize(-3).build());
    assertRejected(
        "projection option blockSize given 0: must be >= 1",
        () -> ProjectionOptions.builder().setDim(8).optBlockSize(0).build());
    assertRejected(
        "projection option cacheBytes given -1: must be >= 0 (0 disables the cache)",
        () -> ProjectionOptions.builder().setDim(8).optCacheBytes(-1).build());
    assertRejected(
        "projection option kind given null: must be one of gaussian, rademacher, sjlt,"
            + " factorized",
        () -> ProjectionOptions.builder().setDim(8).optKind(null).build());
  }

  @Test
  void blocksMustFitInOneJavaArray() {
    assertRejected(
        "projection options dim 8192 and blockSize 1000000 give 8192000000 values per block:"
            + " must be <= 2147483639 (one Java array); lower blockSize",
        () -> ProjectionOptions.builder().setDim(8192).optBlockSize(1_000_000).build());
    assertRejected("projection option dim given 10000000: too large; one block of dim x blockSize"
            + " 4096 = 40960000000 values must fit one Java array (<= 2147483639): give dim <="
            + " 524287",
        () -> ProjectionOptions.builder().setDim(10_000_000).build());
  }

  @Test
  void mapKeepsExplicitAndDefaultedValuesApart() {
    ProjectionOptions o =
        ProjectionOptions.builder()
            .setDim(1024)
            .optSeed(7)
            .optKind(ProjectionKind.RADEMACHER)
            .build();
    Map<String, Object> map = o.toMap();
    assertEquals(Map.of("dim", 1024, "kind", "RADEMACHER", "seed", 7L), map.get("explicit"));
    assertEquals(Map.of("blockSize", 4096, "cacheBytes", 512L << 20), map.get("defaulted"));
    assertEquals(
        "ProjectionOptions{explicit={dim=1024, kind=RADEMACHER, seed=7},"
            + " defaulted={blockSize=4096, cacheBytes=536870912}}",
        o.toString());
  }

  @Test
  void equalityIsByValue() {
    ProjectionOptions a = ProjectionOptions.builder().setDim(64).build();
    ProjectionOptions b =
        ProjectionOptions.builder().setDim(64).optSeed(0).optBlockSize(4096).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, ProjectionOptions.builder().setDim(64).optSeed(1).build());
    assertNotEquals(a, ProjectionOptions.builder().setDim(65).build());
    assertEquals(a, a.toBuilder().build());
    // toBuilder marks every value explicit: a derived variant records all of them (the default
    // kind, sjlt, has a sparsity besides dim, kind, seed, blockSize and cacheBytes).
    assertEquals(6, ((Map<?, ?>) a.toBuilder().build().toMap().get("explicit")).size());
  }
}
