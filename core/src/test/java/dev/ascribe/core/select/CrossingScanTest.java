package dev.ascribe.core.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ascribe.core.select.CrossingScan.Crossing;
import dev.ascribe.core.select.CrossingScan.Direction;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The scan reports every crossing, refined by bisection in log λ. */
class CrossingScanTest {
  @Test
  void findsAllThreeCrossingsOfAFunctionThatDips() {
    // 0.5 + 0.3 sin(ln x): crosses 0.5 where ln x = 0, π, 2π, i.e. at 1, e^π and e^2π.
    DoubleUnaryOperator f = x -> 0.5 + 0.3 * Math.sin(Math.log(x));
    double[] grid = CrossingScan.logGrid(0.3, 1e3, 8);
    List<Crossing> crossings = CrossingScan.scan(grid, f, 0.5);
    assertEquals(3, crossings.size(), crossings.toString());
    double[] expected = {1, Math.exp(Math.PI), Math.exp(2 * Math.PI)};
    Direction[] directions = {Direction.UP, Direction.DOWN, Direction.UP};
    for (int i = 0; i < 3; i++) {
      Crossing c = crossings.get(i);
      assertEquals(expected[i], c.at(), 1e-7 * expected[i], "crossing " + i);
      assertEquals(directions[i], c.direction());
      assertEquals(true, c.lower() <= c.at() && c.at() <= c.upper());
    }
  }

  @Test
  void findsThreeCrossingsOfXiOnAConstructedSpectrum() {
    // Two eigenvalues 1e6 apart: with λ between them the small one's direction dominates ‖τ‖ and
    // ξ nears 1; once its share has decayed (λ ≈ 1e5) the large one's ξ ≈ λ/σ pulls ξ down to
    // about 0.1; past the large eigenvalue ξ rises again.
    double[] sigma = {1e6, 1};
    double[] c2 = {1, 100};
    DoubleUnaryOperator xi = x -> Xi.of(sigma, c2, x);
    double[] grid = CrossingScan.logGrid(1e-3, 1e9, 8);
    List<Crossing> crossings = CrossingScan.scan(grid, xi, 0.5);
    assertEquals(3, crossings.size(), crossings.toString());
    for (Crossing c : crossings) {
      assertEquals(0.5, xi.applyAsDouble(c.at()), 1e-6);
    }
    assertEquals(List.of(Direction.UP, Direction.DOWN, Direction.UP),
        crossings.stream().map(Crossing::direction).toList());
  }

  @Test
  void reportsNothingWhenTheThresholdIsNeverCrossed() {
    assertEquals(List.of(), CrossingScan.scan(CrossingScan.logGrid(1, 10, 4), x -> 0.2, 0.5));
  }

  @Test
  void gridHasBothEndsAndTheRequestedDensity() {
    double[] grid = CrossingScan.logGrid(1e-3, 1e3, 2);
    assertEquals(13, grid.length);
    assertEquals(1e-3, grid[0], 1e-18);
    assertEquals(1e3, grid[12]);
    assertEquals(1, grid[6], 1e-12);
  }
}
