package dev.ascribe.udf.attribute;

import dev.ascribe.core.attribute.FeatureMatrix;
import dev.ascribe.udf.io.Columns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * Cuts a stream of feature rows into blocks of consecutive rows of one checkpoint (at most
 * {@code size} rows each), so partition functions can use matrix products. Any row order works; the
 * featurize stage writes checkpoint by checkpoint, which makes the blocks full.
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

  /** Feeds every block of {@code rows} to {@code sink}, in row order. */
  static void forEach(Iterator<Row> rows, int size, Consumer<FeatureMatrix> sink) {
    List<Row> block = new ArrayList<>(Math.min(size, 1024));
    int model = -1;
    while (rows.hasNext()) {
      Row r = rows.next();
      int m = r.getInt(r.fieldIndex(Columns.MODEL));
      if (!block.isEmpty() && (m != model || block.size() == size)) {
        sink.accept(toMatrix(block, model));
        block.clear();
      }
      model = m;
      block.add(r);
    }
    if (!block.isEmpty()) {
      sink.accept(toMatrix(block, model));
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
