package dev.ascribe.core.metric;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A read-only view of a score matrix held as Java arrays, rows = training examples, columns =
 * queries ({@code [train][query]}, n_train x m), as {@code float[][]} (how scores are stored) or
 * {@code double[][]}. Construction checks that the matrix is rectangular and not empty.
 */
sealed interface ScoreRows permits ScoreRows.OfFloat, ScoreRows.OfDouble {

  int numTrain();

  int numQueries();

  double score(int train, int query);

  /** Adds row {@code train} (all queries) to {@code acc}, which has length numQueries(). */
  void addTo(int train, double[] acc);

  /** Shape in messages, e.g. "5000 x 500 [train][query]". */
  default String shape() {
    return numTrain() + " x " + numQueries() + " [train][query]";
  }

  static ScoreRows of(float[][] scores) {
    Objects.requireNonNull(scores, "scores");
    return new OfFloat(scores, queriesOf(scores.length, i -> scores[i].length));
  }

  static ScoreRows of(double[][] scores) {
    Objects.requireNonNull(scores, "scores");
    return new OfDouble(scores, queriesOf(scores.length, i -> scores[i].length));
  }

  /** The common row length m, after checking n >= 1 and that every row has it. */
  private static int queriesOf(int n, IntUnaryOperator rowLength) {
    if (n == 0) {
      throw new IllegalArgumentException(
          "scores have 0 training rows: expected an n_train x m [train][query] matrix with"
              + " n_train >= 1");
    }
    int m = rowLength.applyAsInt(0);
    for (int i = 1; i < n; i++) {
      int length = rowLength.applyAsInt(i);
      if (length != m) {
        throw new IllegalArgumentException(
            "scores row " + i + " has " + length + " values but row 0 has " + m
                + ": expected a rectangular n_train x m [train][query] matrix");
      }
    }
    return m;
  }

  record OfFloat(float[][] rows, int numQueries) implements ScoreRows {
    @Override
    public int numTrain() {
      return rows.length;
    }

    @Override
    public double score(int train, int query) {
      return rows[train][query];
    }

    @Override
    public void addTo(int train, double[] acc) {
      float[] row = rows[train];
      for (int q = 0; q < acc.length; q++) {
        acc[q] += row[q];
      }
    }
  }

  record OfDouble(double[][] rows, int numQueries) implements ScoreRows {
    @Override
    public int numTrain() {
      return rows.length;
    }

    @Override
    public double score(int train, int query) {
      return rows[train][query];
    }

    @Override
    public void addTo(int train, double[] acc) {
      double[] row = rows[train];
      for (int q = 0; q < acc.length; q++) {
        acc[q] += row[q];
      }
    }
  }
}
