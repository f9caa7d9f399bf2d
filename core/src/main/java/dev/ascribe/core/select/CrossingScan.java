package dev.ascribe.core.select;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Finds every crossing of a threshold by a function of λ on a log grid, then refines each by
 * bisection in log λ. ξ̄ is not monotone in general (DESIGN.md): it can dip and cross a threshold
 * several times, so the scan reports them all and leaves the choice to a {@link LambdaRule}.
 * A crossing is a sign change of f - t between neighbouring grid points (f ≥ t counts as above);
 * crossings closer together than the grid spacing can hide each other.
 */
public final class CrossingScan {
  /** Bisection steps: enough to pin a crossing to a relative width of 1e-9 from a decade. */
  static final int BISECTIONS = 40;

  /** Whether f goes from below the threshold to above it or back. */
  public enum Direction { UP, DOWN }

  /**
   * One crossing.
   *
   * @param lower the grid point before it
   * @param upper the grid point after it
   * @param at the refined crossing, lower ≤ at ≤ upper
   * @param direction UP when f rises through the threshold
   */
  public record Crossing(double lower, double upper, double at, Direction direction) {}

  private CrossingScan() {}

  /**
   * Log-spaced grid from {@code lo} to {@code hi} with {@code perDecade} points per decade; both
   * ends included.
   */
  public static double[] logGrid(double lo, double hi, int perDecade) {
    if (!(lo > 0) || !(hi > lo) || perDecade < 1) {
      throw new IllegalArgumentException("log grid needs 0 < lo < hi and perDecade >= 1: given "
          + lo + ", " + hi + ", " + perDecade);
    }
    int steps = (int) Math.round(Math.log10(hi / lo) * perDecade);
    double[] grid = new double[steps + 1];
    for (int j = 0; j <= steps; j++) {
      grid[j] = lo * Math.pow(10, (double) j / perDecade);
    }
    grid[steps] = hi;
    return grid;
  }

  /**
   * Every crossing of {@code threshold} by f over {@code grid}, in grid order.
   *
   * @param grid increasing, positive
   * @param values f at each grid point (NaN points break no tie: they are skipped)
   * @param f the function, evaluated again during bisection
   */
  public static List<Crossing> scan(double[] grid, double[] values, DoubleUnaryOperator f,
      double threshold) {
    if (grid.length != values.length) {
      throw new IllegalArgumentException("grid has " + grid.length + " points but "
          + values.length + " values");
    }
    List<Crossing> out = new ArrayList<>();
    int previous = -1;
    for (int j = 0; j < grid.length; j++) {
      if (Double.isNaN(values[j])) {
        continue;
      }
      if (previous >= 0 && (values[previous] >= threshold) != (values[j] >= threshold)) {
        boolean up = values[j] >= threshold;
        out.add(new Crossing(grid[previous], grid[j],
            bisect(f, grid[previous], grid[j], threshold, up), up ? Direction.UP
                : Direction.DOWN));
      }
      previous = j;
    }
    return out;
  }

  /** As {@link #scan(double[], double[], DoubleUnaryOperator, double)}, evaluating f on grid. */
  public static List<Crossing> scan(double[] grid, DoubleUnaryOperator f, double threshold) {
    double[] values = new double[grid.length];
    for (int j = 0; j < grid.length; j++) {
      values[j] = f.applyAsDouble(grid[j]);
    }
    return scan(grid, values, f, threshold);
  }

  private static double bisect(DoubleUnaryOperator f, double lo, double hi, double t,
      boolean up) {
    double a = Math.log(lo);
    double b = Math.log(hi);
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = (a + b) / 2;
      double v = f.applyAsDouble(Math.exp(mid));
      // Keep the invariant: below t at a and at or above t at b for UP (the reverse for DOWN).
      boolean above = v >= t;
      if (above == up) {
        b = mid;
      } else {
        a = mid;
      }
    }
    return Math.exp((a + b) / 2);
  }
}
