package dev.ascribe.udf.attribute;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.udf.io.Columns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * Cuts a stream of feature rows into blocks of rows of one checkpoint (at most {@code size} rows
 * each), so partition functions can use matrix products whatever the row order.
 */
final class FeatureBlocks {
  static final int SIZE = 256;

  private FeatureBlocks() {}

  /**
   * Feeds every block of {@code rows} to {@code sink}, in row order, checking that every feature
   * row has {@code k} values (the projection dimension the run expects).
   */
  static void forEach(Iterator<Row> rows, int size, int k, Consumer<FeatureMatrix> sink) {
    forEach(rows, size, block -> {
      if (block.k() != k) {
        throw new IllegalArgumentException("features of example " + block.ids()[0] + ", model "
            + block.model() + " have " + block.k() + " values: expected projection.dim = " + k
            + "; the features table was written with another projection dimension: rerun"
            + " featurize");
      }
      sink.accept(block);
    });
  }

  /**
   * Feeds blocks of {@code rows} to {@code sink}: rows are buffered per checkpoint and a block goes
   * out when its buffer is full, then the rest at the end in checkpoint order. Deterministic for a
   * given row order, whatever that order is.
   */
  static void forEach(Iterator<Row> rows, int size, Consumer<FeatureMatrix> sink) {
    java.util.TreeMap<Integer, List<Row>> buffers = new java.util.TreeMap<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      int model = r.getInt(r.fieldIndex(Columns.MODEL));
      List<Row> block = buffers.computeIfAbsent(model, m -> new ArrayList<>(Math.min(size, 1024)));
      block.add(r);
      if (block.size() == size) {
        sink.accept(toMatrix(block, model));
        block.clear();
      }
    }
    for (var e : buffers.entrySet()) {
      if (!e.getValue().isEmpty()) {
        sink.accept(toMatrix(e.getValue(), e.getKey()));
      }
    }
  }

  private static FeatureMatrix toMatrix(List<Row> rows, int model) {
    int n = rows.size();
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] q = new float[n];
    float[] first = phi(rows.get(0));
    int k = first.length;
    float[] phi = new float[n * k];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(r.fieldIndex(Columns.EXAMPLE_ID));
      labels[i] = r.getInt(r.fieldIndex(Columns.LABEL));
      q[i] = r.getFloat(r.fieldIndex(Columns.Q));
      float[] row = i == 0 ? first : phi(r);
      if (row.length != k) {
        throw new IllegalArgumentException("features of example " + ids[i] + ", model " + model
            + " have " + row.length + " values: expected " + k + " like example " + ids[0]
            + "; the features table mixes projection dimensions");
      }
      System.arraycopy(row, 0, phi, i * k, k);
    }
    return new FeatureMatrix(model, ids, labels, phi, q, k);
  }

  private static float[] phi(Row r) {
    List<Float> values = r.getList(r.fieldIndex(Columns.PHI));
    float[] out = new float[values.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = values.get(j);
    }
    return out;
  }
}
