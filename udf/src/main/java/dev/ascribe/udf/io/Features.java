package dev.ascribe.udf.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A {@link TableFormat#FEATURES features} table in memory: one entry per (model, training
 * example), parallel arrays of length n. Arrays are shared, not copied.
 *
 * @param exampleIds training example ids
 * @param models which model (checkpoint) each row was computed with
 * @param labels class labels
 * @param phi projected gradients, {@code [row][k]}; every row has the same length k
 * @param q TRAK's {@code 1 - p} per row
 */
public record Features(long[] exampleIds, int[] models, int[] labels, float[][] phi, float[] q) {
  /**
   * @throws IllegalArgumentException if the arrays differ in length, a phi row is null, or the
   *     phi rows differ in length
   */
  public Features {
    int n = exampleIds.length;
    if (models.length != n || labels.length != n || phi.length != n || q.length != n) {
      throw new IllegalArgumentException("features: " + n + " example ids, " + models.length
          + " models, " + labels.length + " labels, " + phi.length + " phi rows and " + q.length
          + " q values: all must have the same length");
    }
    for (int i = 0; i < n; i++) {
      if (phi[i] == null || phi[i].length != phi[0].length) {
        throw new IllegalArgumentException("features: phi of model=" + models[i]
            + ", example_id=" + exampleIds[i] + " has length "
            + (phi[i] == null ? "null" : phi[i].length) + ": expected " + phi[0].length
            + " like the first row");
      }
    }
  }

  /** Number of rows. */
  public int size() {
    return exampleIds.length;
  }

  /** The projection dimension k (0 for an empty table). */
  public int dim() {
    return phi.length == 0 ? 0 : phi[0].length;
  }

  /** Rows in key order (example_id, model). */
  List<Row> toRows() {
    Comparator<Integer> byKey = Comparator.<Integer>comparingInt(i -> models[i])
        .thenComparingLong(i -> exampleIds[i]);
    int[] order = KeyOrder.sortedUnique(size(), byKey,
        i -> "model=" + models[i] + ", example_id=" + exampleIds[i], "features");
    List<Row> rows = new ArrayList<>(size());
    for (int i : order) {
      rows.add(RowFactory.create(exampleIds[i], models[i], labels[i], phi[i], q[i]));
    }
    return rows;
  }

  /** Rows collected in key order from a conformed table. */
  static Features fromRows(List<Row> rows, String path) {
    KeyOrder.requireUnique(rows, TableFormat.FEATURES, path);
    int n = rows.size();
    long[] ids = new long[n];
    int[] models = new int[n];
    int[] labels = new int[n];
    float[][] phi = new float[n][];
    float[] q = new float[n];
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      RowValues v = new RowValues(path, row, TableFormat.FEATURES);
      ids[r] = v.getLong(Columns.EXAMPLE_ID);
      models[r] = v.getInt(Columns.MODEL);
      labels[r] = v.getInt(Columns.LABEL);
      phi[r] = v.getFloats(Columns.PHI);
      q[r] = v.getFloat(Columns.Q);
      if (phi[r].length != phi[0].length) {
        throw new InvalidTableException(path, "phi of model=" + models[r] + ", example_id="
            + ids[r] + " has length " + phi[r].length + ": expected " + phi[0].length
            + " (the length of the first row's phi)");
      }
    }
    return new Features(ids, models, labels, phi, q);
  }
}
