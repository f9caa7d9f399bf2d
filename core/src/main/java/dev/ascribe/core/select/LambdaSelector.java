package dev.ascribe.core.select;

import dev.ascribe.core.feature.FeatureMatrix;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Retraining-free λ selection (DESIGN.md): from the full-data model(s) only, the ξ̄ curve of the
 * validation queries on a log grid relative to each checkpoint's mean non-zero eigenvalue, every
 * crossing of the reported thresholds, and the λ of every candidate {@link LambdaRule}; the chosen
 * λ is {@link #DEFAULT_RULE}'s unless another rule is asked for.
 */
public final class LambdaSelector {
  /** The ξ̄ grid: 10⁻³ to 10³ times the mean eigenvalue, 8 points per decade. */
  public static final double[] GRID = CrossingScan.logGrid(1e-3, 1e3, 8);
  /** Thresholds whose crossings are reported. */
  public static final List<Double> THRESHOLDS = List.of(0.3, 0.4, 0.5);
  /** The validated rule (README, "Choosing λ"): what {@code lambda=auto} resolves to. */
  public static final LambdaRule DEFAULT_RULE =
      new LambdaRule.MeanMultiple(dev.ascribe.core.linalg.LambdaSpec.AUTO_MULTIPLE);

  private LambdaSelector() {}

  /**
   * Selects λ.
   *
   * @param spectra one per checkpoint
   * @param validation validation query features per checkpoint, or null to skip the ξ̄ curve
   *     (then only rules without ξ can be used)
   * @param rule the rule that chooses
   * @param spectrumSeconds time already spent on the spectra, added to the reported time
   */
  public static LambdaSelection select(List<FeatureSpectrum> spectra,
      List<FeatureMatrix> validation, LambdaRule rule, double spectrumSeconds) {
    return scan(spectra, validation, rule.name(), (candidates, curve) -> candidates.containsKey(
        rule.name()) ? candidates.get(rule.name()) : rule.lambdas(spectra, curve),
        spectrumSeconds);
  }

  /**
   * The ξ̄ curve, its crossings and every candidate rule's λ, reported beside λ values that were
   * resolved elsewhere ({@link dev.ascribe.core.linalg.LambdaSpec#resolve}, the one path of
   * {@code lambda=auto}): provenance only, it chooses nothing.
   *
   * @param resolvedBy the λ option that gave {@code lambdas}, e.g. {@code auto}
   * @param lambdas the λ used for each checkpoint
   */
  public static LambdaSelection report(List<FeatureSpectrum> spectra,
      List<FeatureMatrix> validation, String resolvedBy, double[] lambdas,
      double spectrumSeconds) {
    if (lambdas.length != spectra.size()) {
      throw new IllegalArgumentException("lambda report given " + lambdas.length + " lambdas for "
          + spectra.size() + " spectra: expected one per checkpoint");
    }
    return scan(spectra, validation, resolvedBy, (candidates, curve) -> lambdas.clone(),
        spectrumSeconds);
  }

  private static LambdaSelection scan(List<FeatureSpectrum> spectra,
      List<FeatureMatrix> validation, String chosenBy,
      BiFunction<Map<String, double[]>, XiCurve, double[]> choose,
      double spectrumSeconds) {
    long start = System.nanoTime();
    XiCurve curve = validation == null ? null : new XiCurve(spectra, validation);
    double[] xi = curve == null ? new double[0] : curve.at(GRID);
    Map<Double, List<CrossingScan.Crossing>> crossings = new TreeMap<>();
    if (curve != null) {
      for (double t : new TreeSet<>(THRESHOLDS)) {
        crossings.put(t, CrossingScan.scan(GRID, xi, curve::at, t));
      }
    }
    Map<String, double[]> candidates = new LinkedHashMap<>();
    for (LambdaRule r : LambdaRule.CANDIDATES) {
      if (curve != null || !r.needsXi()) {
        candidates.put(r.name(), r.lambdas(spectra, curve));
      }
    }
    double[] chosen = choose.apply(candidates, curve);
    double[] units = spectra.stream().mapToDouble(FeatureSpectrum::meanEigenvalue).toArray();
    double seconds = spectrumSeconds + (System.nanoTime() - start) / 1e9;
    return new LambdaSelection(chosenBy, chosen, units, GRID.clone(), xi, crossings,
        candidates, seconds);
  }

  /**
   * Refuses validation queries that are also evaluation queries: λ chosen on them would be tuned
   * on the data it is judged on.
   *
   * @throws IllegalArgumentException naming the shared ids and the option to change
   */
  public static void checkDisjoint(long[] validationIds, long[] evaluationIds) {
    long[] sorted = evaluationIds.clone();
    Arrays.sort(sorted);
    long shared = Arrays.stream(validationIds).filter(id -> Arrays.binarySearch(sorted, id) >= 0)
        .count();
    if (shared > 0) {
      long first = Arrays.stream(validationIds)
          .filter(id -> Arrays.binarySearch(sorted, id) >= 0).min().getAsLong();
      throw new IllegalArgumentException("option data.validation overlaps the evaluation"
          + " queries (data.queries): " + shared + " shared example ids, the first " + first
          + "; choose validation rows disjoint from the queries (e.g. test records 500-599)");
    }
  }
}
