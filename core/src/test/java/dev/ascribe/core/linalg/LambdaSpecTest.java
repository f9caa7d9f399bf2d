package dev.ascribe.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.linalg.LambdaSpec.Kind;
import org.junit.jupiter.api.Test;

/** The command-line forms of λ: parsing, printing, resolving and rejecting. */
class LambdaSpecTest {
  private static final Kernel DIAGONAL = Kernel.of(KernelTest.diagonal(4, 2, 0, 0), 4, 1);

  @Test
  void parsesTheThreeForms() {
    assertSpec(LambdaSpec.parse("0"), Kind.ABSOLUTE, 0);
    assertSpec(LambdaSpec.parse("1e-3"), Kind.ABSOLUTE, 1e-3);
    assertSpec(LambdaSpec.parse("2.5"), Kind.ABSOLUTE, 2.5);
    assertSpec(LambdaSpec.parse("0.3x"), Kind.RELATIVE, 0.3);
    assertSpec(LambdaSpec.parse(" 1X "), Kind.RELATIVE, 1);
    assertSpec(LambdaSpec.parse(".5x"), Kind.RELATIVE, 0.5);
    assertEquals(Kind.AUTO, LambdaSpec.parse("auto").kind());
    assertEquals(LambdaSpec.auto(), LambdaSpec.parse("AUTO"));
    assertSpec(LambdaSpec.parse("-0"), Kind.ABSOLUTE, 0);
  }

  @Test
  void printsTheCommandLineFormAndRoundTrips() {
    assertEquals("0.001", LambdaSpec.parse("1e-3").toString());
    assertEquals("0.3x", LambdaSpec.parse("0.30x").toString());
    assertEquals("1x", LambdaSpec.parse("1.0x").toString());
    assertEquals("0", LambdaSpec.parse("0.0").toString());
    assertEquals("auto", LambdaSpec.auto().toString());
    for (String s : new String[] {"0", "1e-3", "1e-10", "1.5e20", "123456.789", "0.3x", "1x",
        "3e-7x", "0x", "auto", "0.1", "0.30000000000000004"}) {
      LambdaSpec spec = LambdaSpec.parse(s);
      assertEquals(spec, LambdaSpec.parse(spec.toString()), s + " printed as " + spec);
    }
  }

  @Test
  void resolvesAgainstAKernel() {
    // F = diag(4, 2, 0, 0): mean non-zero eigenvalue 3.
    assertEquals(1e-3, LambdaSpec.parse("1e-3").resolve(DIAGONAL));
    assertEquals(0.9, LambdaSpec.parse("0.3x").resolve(DIAGONAL), 1e-15);
    assertEquals(3, LambdaSpec.relative(1).resolve(DIAGONAL), 1e-15);
    assertEquals(0, LambdaSpec.parse("0x").resolve(Kernel.of(new double[4], 2, 1)),
        "0x needs no spectrum, so it works on a zero kernel too");
    assertEquals(LambdaSpec.AUTO_MULTIPLE * 3, LambdaSpec.auto().resolve(DIAGONAL), 1e-15,
        "auto is the validated multiple of the mean non-zero eigenvalue");
    IllegalStateException zero = assertThrows(IllegalStateException.class,
        () -> LambdaSpec.parse("0.3x").resolve(Kernel.of(new double[4], 2, 1)));
    assertTrue(zero.getMessage().contains("give an absolute value"), zero.getMessage());
  }

  @Test
  void rejectsNegativesNonNumbersAndGarbage() {
    for (String s : new String[] {"-1", "-0.3x", "NaN", "nanx", "Infinity", "1e400", "abc", "",
        " ", "x", "0x1p3", "1d", "1f", "0.3xx", "1,5", "auto2", "--1"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LambdaSpec.parse(s), s);
      assertEquals("lambda given '" + s + "': must be >= 0, a multiple like 0.3x, or auto",
          e.getMessage());
    }
    assertEquals("lambda given null: must be >= 0, a multiple like 0.3x, or auto",
        assertThrows(IllegalArgumentException.class, () -> LambdaSpec.parse(null)).getMessage());
    assertEquals("lambda given '-2.0': must be >= 0, a multiple like 0.3x, or auto",
        assertThrows(IllegalArgumentException.class, () -> LambdaSpec.absolute(-2)).getMessage());
    assertEquals("lambda given 'NaNx': must be >= 0, a multiple like 0.3x, or auto",
        assertThrows(IllegalArgumentException.class, () -> LambdaSpec.relative(Double.NaN))
            .getMessage());
  }

  private static void assertSpec(LambdaSpec spec, Kind kind, double value) {
    assertEquals(kind, spec.kind());
    assertEquals(value, spec.value());
  }
}
