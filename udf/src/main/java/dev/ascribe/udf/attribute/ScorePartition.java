package dev.ascribe.udf.attribute;

import dev.ascribe.core.score.RowWeight;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.score.PartialScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Scores one partition of training features with core {@link PartialScores}: examples whose every
 * checkpoint row is in the partition come out finished; the others as partials for a second, small
 * step. What a block contributes (scores against broadcast queries, or self-influence) is the
 * {@link BlockScorer}'s business.
 */
final class ScorePartition
    implements FlatMapFunction<Iterator<FeatureMatrix>, ScorePartition.Out> {
  private static final long serialVersionUID = 1L;

  /** A finished row of values, or a partial (exactly one of the two is set). */
  record Out(long exampleId, float[] scores, PartialScores.Partial partial)
      implements Serializable {}

  /** Adds one block of feature rows of one checkpoint to the partition's sums. */
  @FunctionalInterface
  interface BlockScorer extends Serializable {
    void add(PartialScores sums, FeatureMatrix block);
  }

  private final BlockScorer scorer;
  private final int width;
  private final int models;
  private final RowWeight weight;

  /** @param width values per example (m queries, or 1 for self-influence) */
  ScorePartition(BlockScorer scorer, int width, int models, RowWeight weight) {
    this.scorer = scorer;
    this.width = width;
    this.models = models;
    this.weight = weight;
  }

  @Override
  public Iterator<Out> call(Iterator<FeatureMatrix> blocks) {
    PartialScores sums = new PartialScores(width, models, weight);
    blocks.forEachRemaining(block -> scorer.add(sums, block));
    List<Out> out = new ArrayList<>();
    for (PartialScores.Row r : sums.complete()) {
      out.add(new Out(r.exampleId(), r.scores(), null));
    }
    for (PartialScores.Partial p : sums.incomplete()) {
      out.add(new Out(p.exampleId(), null, p));
    }
    return out.iterator();
  }
}
