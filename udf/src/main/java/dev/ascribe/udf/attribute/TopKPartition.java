package dev.ascribe.udf.attribute;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.score.TopK;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The top-K of one partition of training features against one block of queries, streamed: each
 * feature block is scored ({@link ScorePartition.BlockScorer}), the examples it completes are
 * offered to per-query selections and dropped, so the partition holds the selections (m x 2 x K
 * entries) and the examples still missing a checkpoint, never its rows of scores. Examples whose
 * other checkpoint rows are in other partitions leave as partials, finished by id afterwards.
 */
final class TopKPartition implements FlatMapFunction<Iterator<FeatureMatrix>, TopKPartition.Out> {
  private static final long serialVersionUID = 1L;

  /**
   * A partition's selections, its unfinished examples and how many examples it finished.
   *
   * @param top per query of the block: [0] proponents, [1] opponents
   */
  record Out(TopK[][] top, List<PartialScores.Partial> partials, long finished)
      implements Serializable {}

  private final ScorePartition.BlockScorer scorer;
  private final int numQueries;
  private final int models;
  private final RowWeight weight;
  private final int k;

  TopKPartition(ScorePartition.BlockScorer scorer, int numQueries, int models, RowWeight weight,
      int k) {
    this.scorer = scorer;
    this.numQueries = numQueries;
    this.models = models;
    this.weight = weight;
    this.k = k;
  }

  /** Empty selections for {@code numQueries} queries. */
  static TopK[][] empty(int numQueries, int k) {
    TopK[][] top = new TopK[numQueries][2];
    for (int q = 0; q < numQueries; q++) {
      top[q][0] = new TopK(k, TopK.Kind.PROPONENT);
      top[q][1] = new TopK(k, TopK.Kind.OPPONENT);
    }
    return top;
  }

  /** Offers every query's score of {@code row} to that query's selections. */
  static void offer(TopK[][] top, PartialScores.Row row) {
    float[] s = row.scores();
    for (int q = 0; q < top.length; q++) {
      top[q][0].offer(row.exampleId(), s[q]);
      top[q][1].offer(row.exampleId(), s[q]);
    }
  }

  /** Merges {@code b} into {@code a} (same queries), returning {@code a}. */
  static TopK[][] merge(TopK[][] a, TopK[][] b) {
    for (int q = 0; q < a.length; q++) {
      a[q][0].merge(b[q][0]);
      a[q][1].merge(b[q][1]);
    }
    return a;
  }

  @Override
  public Iterator<Out> call(Iterator<FeatureMatrix> blocks) {
    PartialScores sums = new PartialScores(numQueries, models, weight);
    TopK[][] top = empty(numQueries, k);
    long finished = 0;
    while (blocks.hasNext()) {
      scorer.add(sums, blocks.next());
      for (PartialScores.Row row : sums.drainComplete()) {
        offer(top, row);
        finished++;
      }
    }
    return List.of(new Out(top, sums.incomplete(), finished)).iterator();
  }
}
