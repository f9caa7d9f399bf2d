package dev.ascribe.core.select;

import dev.ascribe.core.feature.FeatureMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ξ̄ as a function of λ for a model or an ensemble: the mean of {@link Xi} over the validation
 * queries of each checkpoint, then over checkpoints (DESIGN.md: for TRAK and ensembles ξ is
 * computed per checkpoint on the unweighted kernel and averaged). λ is given as a multiple of each
 * checkpoint's own mean non-zero eigenvalue, the same way {@code 0.3x} resolves per checkpoint.
 */
public final class XiCurve {
  private final List<double[]> sigmas = new ArrayList<>();
  private final List<double[][]> squaredCoordinates = new ArrayList<>();
  private final List<Double> units = new ArrayList<>();
  // ξ̄ by multiple: the rules and the crossing scans revisit the same grid and bisection points.
  private final Map<Double, Double> evaluated = new ConcurrentHashMap<>();

  /**
   * @param spectra one per checkpoint
   * @param validation validation query features of the same checkpoints, in the same order
   */
  public XiCurve(List<FeatureSpectrum> spectra, List<FeatureMatrix> validation) {
    if (spectra.isEmpty() || spectra.size() != validation.size()) {
      throw new IllegalArgumentException("xi curve needs one validation feature matrix per"
          + " checkpoint: " + spectra.size() + " spectra, " + validation.size() + " matrices");
    }
    for (int c = 0; c < spectra.size(); c++) {
      FeatureSpectrum s = spectra.get(c);
      int m = validation.get(c).size();
      int r = s.rank();
      double[] coords = s.coordinates(validation.get(c));
      double[][] c2 = new double[m][r];
      for (int i = 0; i < r; i++) {
        for (int q = 0; q < m; q++) {
          double v = coords[i * m + q];
          c2[q][i] = v * v;
        }
      }
      sigmas.add(s.values());
      squaredCoordinates.add(c2);
      units.add(s.meanEigenvalue());
    }
  }

  /** Number of checkpoints averaged. */
  public int checkpoints() {
    return sigmas.size();
  }

  /** ξ̄ at λ_c = multiple x the mean non-zero eigenvalue of checkpoint c; NaN if no query counts. */
  public double at(double multiple) {
    return evaluated.computeIfAbsent(multiple, this::evaluate);
  }

  private double evaluate(double multiple) {
    double total = 0;
    int counted = 0;
    for (int c = 0; c < sigmas.size(); c++) {
      double lambda = multiple * units.get(c);
      double[][] c2 = squaredCoordinates.get(c);
      double[] perQuery = new double[c2.length];
      Xi.of(sigmas.get(c), c2, lambda, perQuery);
      double sum = 0;
      int n = 0;
      for (double xi : perQuery) {
        if (!Double.isNaN(xi)) {
          sum += xi;
          n++;
        }
      }
      if (n > 0) {
        total += sum / n;
        counted++;
      }
    }
    return counted > 0 ? total / counted : Double.NaN;
  }

  /** ξ̄ at each multiple of the grid. */
  public double[] at(double[] multiples) {
    double[] out = new double[multiples.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = at(multiples[j]);
    }
    return out;
  }
}
