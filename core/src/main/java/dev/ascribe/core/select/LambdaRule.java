package dev.ascribe.core.select;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A rule that turns a model's spectrum (and, for ξ rules, the ξ̄ curve of validation queries) into
 * λ, one absolute value per checkpoint. The candidates are DESIGN.md's: spectral rules (a multiple
 * of the mean non-zero eigenvalue; a quantile of the non-zero spectrum) and the paper's threshold
 * on ξ̄. Which one is the default is decided by validation against retrained models (README).
 */
public sealed interface LambdaRule {
  /** Short name, also the parse form: {@code 0.3x}, {@code q50}, {@code xi=0.5}. */
  String name();

  /** Whether the rule reads the ξ̄ curve (and so needs validation queries). */
  boolean needsXi();

  /**
   * λ for each checkpoint.
   *
   * @param spectra one per checkpoint
   * @param xi the ξ̄ curve of the same checkpoints; may be null when {@link #needsXi()} is false
   */
  double[] lambdas(List<FeatureSpectrum> spectra, XiCurve xi);

  /** λ_c = multiple x the mean non-zero eigenvalue of checkpoint c. */
  record MeanMultiple(double multiple) implements LambdaRule {
    @Override
    public String name() {
      return java.math.BigDecimal.valueOf(multiple).stripTrailingZeros().toPlainString() + "x";
    }

    @Override
    public boolean needsXi() {
      return false;
    }

    @Override
    public double[] lambdas(List<FeatureSpectrum> spectra, XiCurve xi) {
      return spectra.stream().mapToDouble(s -> multiple * s.meanEigenvalue()).toArray();
    }
  }

  /** λ_c = the q-quantile of checkpoint c's non-zero eigenvalues (ascending, nearest rank). */
  record Quantile(double q) implements LambdaRule {
    public Quantile {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("spectrum quantile given " + q + ": must be in [0, 1]");
      }
    }

    @Override
    public String name() {
      return "q" + Math.round(q * 100);
    }

    @Override
    public boolean needsXi() {
      return false;
    }

    @Override
    public double[] lambdas(List<FeatureSpectrum> spectra, XiCurve xi) {
      return spectra.stream().mapToDouble(s -> {
        double[] ascending = s.values();
        Arrays.sort(ascending);
        return ascending[(int) Math.round(q * (ascending.length - 1))];
      }).toArray();
    }
  }

  /**
   * The paper's rule made concrete: the first upward crossing of ξ̄ = threshold on {@link
   * LambdaSelector#GRID}, refined by bisection; λ_c = that multiple x checkpoint c's mean
   * eigenvalue. When ξ̄ starts above the threshold the grid's low end is used, when it never
   * reaches it the high end.
   */
  record XiThreshold(double threshold) implements LambdaRule {
    @Override
    public String name() {
      return "xi=" + threshold;
    }

    @Override
    public boolean needsXi() {
      return true;
    }

    /** The chosen multiple of the mean eigenvalue. */
    public double multiple(XiCurve xi) {
      double[] grid = LambdaSelector.GRID;
      double[] values = xi.at(grid);
      for (CrossingScan.Crossing c : CrossingScan.scan(grid, values, xi::at, threshold)) {
        if (c.direction() == CrossingScan.Direction.UP) {
          return c.at();
        }
      }
      return values[0] >= threshold ? grid[0] : grid[grid.length - 1];
    }

    @Override
    public double[] lambdas(List<FeatureSpectrum> spectra, XiCurve xi) {
      if (xi == null) {
        throw new IllegalArgumentException("lambda rule " + name() + " needs validation queries"
            + " (option data.validation) to compute the xi curve");
      }
      double m = multiple(xi);
      return spectra.stream().mapToDouble(s -> m * s.meanEigenvalue()).toArray();
    }
  }

  /** Every rule the selector reports, in report order. */
  List<LambdaRule> CANDIDATES = List.of(new MeanMultiple(1), new MeanMultiple(0.3),
      new MeanMultiple(0.1), new Quantile(0.25), new Quantile(0.5), new Quantile(0.75),
      new XiThreshold(0.5), new XiThreshold(0.4), new XiThreshold(0.3));

  /**
   * Parses a rule name: {@code 0.3x}, {@code q50}, {@code xi=0.5}.
   *
   * @throws IllegalArgumentException naming the value and the forms expected
   */
  static LambdaRule parse(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("x")) {
        return new MeanMultiple(Double.parseDouble(s.substring(0, s.length() - 1)));
      }
      if (s.startsWith("q")) {
        return new Quantile(Double.parseDouble(s.substring(1)) / 100);
      }
      if (s.startsWith("xi=")) {
        return new XiThreshold(Double.parseDouble(s.substring(3)));
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below, which names the forms.
    }
    throw new IllegalArgumentException("lambda rule given '" + text + "': expected a multiple of"
        + " the mean eigenvalue like 0.3x, a spectrum quantile like q50, or a xi threshold like"
        + " xi=0.5");
  }
}
