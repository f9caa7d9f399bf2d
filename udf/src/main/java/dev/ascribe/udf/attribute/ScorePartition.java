package dev.ascribe.udf.attribute;

import dev.ascribe.core.attribute.PartialScores;
import dev.ascribe.core.attribute.Recipe;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Scores one partition of training features against the broadcast preconditioned queries (core
 * {@link PartialScores}): examples whose every checkpoint row is in the partition come out finished;
 * the others as partials for a second, small step.
 */
final class ScorePartition implements FlatMapFunction<Iterator<Row>, ScorePartition.Out> {
  private static final long serialVersionUID = 1L;

  /** A finished score row, or a partial (exactly one of the two is set). */
  record Out(long exampleId, float[] scores, PartialScores.Partial partial)
      implements Serializable {}

  private final Broadcast<float[][]> queries;
  private final double[] coefficients;
  private final Recipe.Weight weight;
  private final int numQueries;

  /**
   * @param queries preconditioned query features per checkpoint, row-major m x k each
   */
  ScorePartition(Broadcast<float[][]> queries, double[] coefficients, Recipe.Weight weight,
      int numQueries) {
    this.queries = queries;
    this.coefficients = coefficients;
    this.weight = weight;
    this.numQueries = numQueries;
  }

  @Override
  public Iterator<Out> call(Iterator<Row> rows) {
    float[][] psi = queries.value();
    PartialScores scores = new PartialScores(numQueries, psi.length, weight);
    FeatureBlocks.forEach(rows, FeatureBlocks.SIZE, psi[0].length / numQueries,
        block -> scores.add(block, psi[block.model()], coefficients[block.model()]));
    List<Out> out = new ArrayList<>();
    for (PartialScores.Row r : scores.complete()) {
      out.add(new Out(r.exampleId(), r.scores(), null));
    }
    for (PartialScores.Partial p : scores.incomplete()) {
      out.add(new Out(p.exampleId(), null, p));
    }
    return out.iterator();
  }
}
