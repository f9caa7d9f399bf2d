package dev.ascribe.core.select;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the λ selector found for one model or ensemble: the chosen λ per checkpoint, the ξ̄ curve
 * on the grid with every crossing of the reported thresholds, and every candidate rule's λ.
 *
 * @param rule the rule that chose λ
 * @param lambdas chosen absolute λ per checkpoint
 * @param meanEigenvalues mean non-zero eigenvalue per checkpoint (the unit of multiples)
 * @param grid λ multiples of the ξ̄ curve
 * @param xi ξ̄ at each grid point (empty when no validation queries were given)
 * @param crossings threshold to its crossings of ξ̄, in grid order
 * @param candidates every candidate rule's name to its λ per checkpoint
 * @param seconds wall time of eigendecomposition, projections and scan
 */
public record LambdaSelection(String rule, double[] lambdas, double[] meanEigenvalues,
    double[] grid, double[] xi, Map<Double, List<CrossingScan.Crossing>> crossings,
    Map<String, double[]> candidates, double seconds) {

  /** The chosen λ as a multiple of the mean eigenvalue, averaged over checkpoints. */
  public double multiple() {
    return meanMultiple(lambdas);
  }

  /** λ / mean eigenvalue averaged over checkpoints, for any per-checkpoint λ. */
  public double meanMultiple(double[] perCheckpoint) {
    double s = 0;
    for (int c = 0; c < perCheckpoint.length; c++) {
      s += perCheckpoint[c] / meanEigenvalues[c];
    }
    return s / perCheckpoint.length;
  }

  /** JSON-ready form for provenance and select-lambda's output. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", rule);
    m.put("lambda_multiple", multiple());
    m.put("lambda", lambdas);
    m.put("mean_nonzero_eigenvalue", meanEigenvalues);
    Map<String, Object> rules = new LinkedHashMap<>();
    candidates.forEach((name, l) -> rules.put(name,
        Map.of("lambda", l, "lambda_multiple", meanMultiple(l))));
    m.put("rules", rules);
    List<Map<String, Object>> curve = new ArrayList<>();
    for (int j = 0; j < xi.length; j++) {
      curve.add(Map.of("lambda_multiple", grid[j], "xi", xi[j]));
    }
    m.put("xi_curve", curve);
    Map<String, Object> cross = new LinkedHashMap<>();
    crossings.forEach((t, list) -> cross.put(String.valueOf(t), list.stream()
        .map(c -> Map.of("lambda_multiple", (Object) c.at(), "direction",
            c.direction().name().toLowerCase(java.util.Locale.ROOT), "between",
            List.of(c.lower(), c.upper())))
        .toList()));
    m.put("xi_crossings", cross);
    m.put("seconds", seconds);
    return m;
  }
}
