package dev.ascribe.core.score;

import dev.ascribe.core.feature.FeatureMatrix;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step three of the template, for any subset of (example, checkpoint) feature rows in any order:
 * accumulates, per training example, Σ_c a_c φ_c(z_i)ᵀ Ψ̃_c (one value per query) and the q values,
 * then applies the training-side weight w_i once every checkpoint has been seen.
 *
 * <p>In memory all rows go through one instance; in Spark each partition has one, and examples
 * whose rows were split across partitions leave {@link Partial}s that {@link #combine} finishes.
 * Within an example, contributions are added in the order the rows arrive (the same order on every
 * rerun with the same partitioning).
 */
public final class PartialScores {
  private final int numQueries;
  private final int numModels;
  private final RowWeight weight;
  private final Map<Long, Partial> byExample = new LinkedHashMap<>();
  /** Examples handed out by {@link #drainComplete}: a further row of one is a duplicate. */
  private final java.util.Set<Long> drained = new java.util.HashSet<>();
  /** Examples completed since the last {@link #drainComplete}, in the order they completed. */
  private final List<Long> completed = new ArrayList<>();

  /**
   * An example's accumulated contributions.
   *
   * @param exampleId the training example
   * @param models the checkpoints seen so far
   * @param sums Σ a_c φ_cᵀ Ψ̃_c over those checkpoints, one per query
   * @param qSum Σ q_c over those checkpoints
   */
  public record Partial(long exampleId, BitSet models, double[] sums, double qSum)
      implements Serializable {}

  /**
   * A finished row of the score matrix.
   *
   * @param exampleId the training example
   * @param scores its score for every query
   */
  public record Row(long exampleId, float[] scores) implements Serializable {}

  public PartialScores(int numQueries, int numModels, RowWeight weight) {
    this.numQueries = numQueries;
    this.numModels = numModels;
    this.weight = weight;
  }

  /**
   * Adds the contributions of one block of rows of checkpoint {@code model}.
   *
   * @param rows feature rows of that checkpoint (b x k)
   * @param queries its preconditioned query features, row-major m x k
   * @param coefficient a_c
   */
  public void add(FeatureMatrix rows, float[] queries, double coefficient) {
    int b = rows.size();
    if (queries.length != numQueries * rows.k()) {
      throw new IllegalArgumentException("preconditioned queries hold " + queries.length
          + " values: expected " + numQueries + " x " + rows.k());
    }
    int maxRows = rowsPerProduct(rows.k());
    if (b > maxRows) {
      for (int from = 0; from < b; from += maxRows) {
        add(rows.slice(from, Math.min(b, from + maxRows)), queries, coefficient);
      }
      return;
    }
    float[] block;
    try (NDManager manager = dev.ascribe.core.model.ComputeDevice.manager()) {
      NDArray phi = manager.create(rows.phi(), new Shape(b, rows.k()));
      NDArray psi = manager.create(queries, new Shape(numQueries, rows.k()));
      block = phi.matMul(psi.transpose()).toFloatArray();
    }
    addValues(rows, block, coefficient);
  }

  /**
   * Feature rows of width {@code k} multiplied with the queries in one product: native buffers are
   * addressed with ints, so whole-gradient features of a large model are multiplied in blocks of
   * rows well below 2 GiB (256 MiB). {@link #add} splits larger blocks into blocks of this many
   * rows; a caller that streams rows can hand them over in the same blocks.
   */
  public int rowsPerProduct(int k) {
    return (int) Math.max(1, (256L << 20) / (4L * Math.max(k, numQueries)));
  }

  /**
   * Adds per-row values already computed for one block of checkpoint {@code rows.model()}: row i
   * contributes {@code coefficient * values[i * m + q]} to query q (self-influence uses m = 1).
   *
   * @param values row-major b x m
   */
  public void addValues(FeatureMatrix rows, float[] values, double coefficient) {
    int b = rows.size();
    float[] block = values;
    for (int i = 0; i < b; i++) {
      long id = rows.ids()[i];
      if (drained.contains(id)) {
        throw new IllegalArgumentException("example " + id + " has a feature row for model "
            + rows.model() + " after all its models were scored: the features table holds"
            + " duplicates");
      }
      Partial p = byExample.computeIfAbsent(id,
          e -> new Partial(e, new BitSet(numModels), new double[numQueries], 0));
      if (p.models().get(rows.model())) {
        throw new IllegalArgumentException("example " + id + " has two feature rows for model "
            + rows.model() + ": the features table holds duplicates");
      }
      p.models().set(rows.model());
      double[] sums = p.sums();
      for (int q = 0; q < numQueries; q++) {
        sums[q] += coefficient * block[i * numQueries + q];
      }
      byExample.put(id, new Partial(id, p.models(), sums, p.qSum() + rows.q()[i]));
      if (p.models().cardinality() == numModels) {
        completed.add(id);
      }
    }
  }

  /** Examples with every checkpoint seen, weighted, in the order they first arrived. */
  public List<Row> complete() {
    List<Row> out = new ArrayList<>();
    for (Partial p : byExample.values()) {
      if (p.models().cardinality() == numModels) {
        out.add(finish(p));
      }
    }
    return out;
  }

  /**
   * Examples completed since the last call, weighted, in the order they completed, removed from
   * these sums: a caller that streams blocks through keeps only the examples still in flight
   * (their ids are remembered, so that a later duplicate row is still an error). The values are
   * those {@link #complete} would give.
   */
  public List<Row> drainComplete() {
    List<Row> out = new ArrayList<>(completed.size());
    for (long id : completed) {
      out.add(finish(byExample.remove(id)));
      drained.add(id);
    }
    completed.clear();
    return out;
  }

  /**
   * The completed rows as a score matrix (rows = training examples in arrival order, columns =
   * queries).
   *
   * @param queryIds the query ids, one per column
   */
  public ScoreMatrix toScoreMatrix(long[] queryIds) {
    List<Row> rows = complete();
    int m = numQueries;
    float[] scores = new float[rows.size() * m];
    long[] ids = new long[rows.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rows.get(i).exampleId();
      System.arraycopy(rows.get(i).scores(), 0, scores, i * m, m);
    }
    return new ScoreMatrix(ids, queryIds, scores);
  }

  /** Examples still missing some checkpoint (their other rows are in other partitions). */
  public List<Partial> incomplete() {
    List<Partial> out = new ArrayList<>();
    for (Partial p : byExample.values()) {
      if (p.models().cardinality() < numModels) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Finishes an example from the partials of several partitions, added in the order of their
   * lowest checkpoint index so that the result does not depend on the order they arrive in.
   */
  public Row combine(List<Partial> parts) {
    List<Partial> sorted = new ArrayList<>(parts);
    sorted.sort(java.util.Comparator.comparingInt(p -> p.models().nextSetBit(0)));
    long id = sorted.get(0).exampleId();
    BitSet models = new BitSet(numModels);
    double[] sums = new double[numQueries];
    double q = 0;
    for (Partial p : sorted) {
      if (p.models().intersects(models)) {
        throw new IllegalArgumentException("example " + id + " has two feature rows for one"
            + " model: the features table holds duplicates");
      }
      models.or(p.models());
      for (int j = 0; j < numQueries; j++) {
        sums[j] += p.sums()[j];
      }
      q += p.qSum();
    }
    if (models.cardinality() != numModels) {
      throw new IllegalArgumentException("example " + id + " has features for models " + models
          + " only: expected all " + numModels + "; the features table is incomplete");
    }
    return finish(new Partial(id, models, sums, q));
  }

  private Row finish(Partial p) {
    double w = weight == RowWeight.ONE ? 1.0 : -p.qSum() / numModels;
    float[] scores = new float[numQueries];
    for (int q = 0; q < numQueries; q++) {
      scores[q] = (float) (w * p.sums()[q]);
    }
    return new Row(p.exampleId(), scores);
  }
}
