package dev.ascribe.core.select;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.score.ScoreMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores of a kernel method (TRAK, IF-FIM; one or more checkpoints) at any λ, from each
 * checkpoint's {@link FeatureSpectrum}: the eigendecomposition and the query coordinates c = Uᵀ g'
 * are computed once, after which each λ costs one diagonal scaling and the inner products. The
 * scores are those of {@link dev.ascribe.core.method.InnerProductAttributor} with the same
 * recipe (checkpoint coefficients, Q weighting), combined by the same {@link PartialScores}.
 */
public final class SpectralScores {
  private final RowWeight weight;
  private final double[] coefficients;
  private final List<FeatureMatrix> train;
  private final List<FeatureSpectrum> spectra;
  private final List<double[]> coordinates = new ArrayList<>();
  private final long[] queryIds;
  private final int m;

  /**
   * @param weight the recipe's training-side weighting (TRAK's Q̄)
   * @param coefficients checkpoint coefficients a_c
   * @param train training features per checkpoint
   * @param spectra their spectra, same order
   * @param queries query features per checkpoint, same order
   */
  public SpectralScores(RowWeight weight, double[] coefficients, List<FeatureMatrix> train,
      List<FeatureSpectrum> spectra, List<FeatureMatrix> queries) {
    if (train.size() != spectra.size() || train.size() != queries.size()
        || coefficients.length != train.size()) {
      throw new IllegalArgumentException("spectral scores need one training matrix, spectrum,"
          + " query matrix and coefficient per checkpoint: " + train.size() + ", "
          + spectra.size() + ", " + queries.size() + ", " + coefficients.length);
    }
    this.weight = weight;
    this.coefficients = coefficients.clone();
    this.train = List.copyOf(train);
    this.spectra = List.copyOf(spectra);
    for (int c = 0; c < spectra.size(); c++) {
      coordinates.add(spectra.get(c).coordinates(queries.get(c)));
    }
    this.queryIds = queries.get(0).ids().clone();
    this.m = queryIds.length;
  }

  /** The spectra, one per checkpoint. */
  public List<FeatureSpectrum> spectra() {
    return spectra;
  }

  /**
   * Scores at λ_c per checkpoint (rows = training examples, columns = queries).
   *
   * @param lambdas absolute λ ≥ 0 per checkpoint
   */
  public ScoreMatrix at(double[] lambdas) {
    if (lambdas.length != train.size()) {
      throw new IllegalArgumentException("given " + lambdas.length + " lambdas for "
          + train.size() + " checkpoints");
    }
    PartialScores partial = new PartialScores(m, train.size(), weight);
    for (int c = 0; c < train.size(); c++) {
      partial.add(train.get(c), spectra.get(c).precondition(coordinates.get(c), m, lambdas[c]),
          coefficients[c]);
    }
    return partial.toScoreMatrix(queryIds);
  }

  /** Scores at λ_c = multiple x checkpoint c's mean non-zero eigenvalue. */
  public ScoreMatrix atMultiple(double multiple) {
    return at(spectra.stream().mapToDouble(s -> multiple * s.meanEigenvalue()).toArray());
  }
}
