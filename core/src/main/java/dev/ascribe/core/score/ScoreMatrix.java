package dev.ascribe.core.score;

import java.util.List;

/**
 * Attribution scores τ(z'_q, z_i): rows = training examples, columns = queries (DESIGN.md);
 * positive = helpful (removing the example would lower the query's target).
 */
public final class ScoreMatrix {
  private final long[] trainIds;
  private final long[] queryIds;
  private final float[] scores;

  /**
   * @param trainIds ids of the rows, length n
   * @param queryIds ids of the columns, length m
   * @param scores row-major n x m
   */
  public ScoreMatrix(long[] trainIds, long[] queryIds, float[] scores) {
    if (scores.length != (long) trainIds.length * queryIds.length) {
      throw new IllegalArgumentException("score matrix of " + trainIds.length + " x "
          + queryIds.length + " needs " + (long) trainIds.length * queryIds.length
          + " values, got " + scores.length);
    }
    this.trainIds = trainIds;
    this.queryIds = queryIds;
    this.scores = scores;
  }

  public int numTrain() {
    return trainIds.length;
  }

  public int numQueries() {
    return queryIds.length;
  }

  public long trainId(int i) {
    return trainIds[i];
  }

  public long queryId(int q) {
    return queryIds[q];
  }

  public long[] trainIds() {
    return trainIds.clone();
  }

  public long[] queryIds() {
    return queryIds.clone();
  }

  /** Score of training row i for query column q. */
  public float get(int i, int q) {
    return scores[i * queryIds.length + q];
  }

  /** Column q: the scores of every training example for one query. */
  public float[] column(int q) {
    float[] col = new float[trainIds.length];
    for (int i = 0; i < col.length; i++) {
      col[i] = scores[i * queryIds.length + q];
    }
    return col;
  }

  /** Row i: one training example's scores for every query. */
  public float[] row(int i) {
    return java.util.Arrays.copyOfRange(scores, i * queryIds.length, (i + 1) * queryIds.length);
  }

  /** The matrix as [train][query] arrays (the layout the metrics take). */
  public float[][] toRows() {
    float[][] rows = new float[trainIds.length][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(i);
    }
    return rows;
  }

  /** The k strongest proponents or opponents of query column q (see {@link TopK}). */
  public List<TopK.Entry> top(int q, int k, TopK.Kind kind) {
    TopK top = new TopK(k, kind);
    for (int i = 0; i < trainIds.length; i++) {
      top.offer(trainIds[i], get(i, q));
    }
    return top.sorted();
  }
}
