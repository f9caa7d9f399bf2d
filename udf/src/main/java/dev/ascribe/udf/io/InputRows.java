package dev.ascribe.udf.io;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.NonFinite;
import dev.ascribe.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Conversions between {@link TableFormat#INPUT_ROWS input rows} and a core {@link Dataset}. */
public final class InputRows {
  private InputRows() {}

  /** One row per example, in id order. */
  public static List<Row> toRows(Dataset data) {
    long[] ids = data.ids();
    int[] order = KeyOrder.sortedUnique(ids.length, Comparator.comparingLong(i -> ids[i]),
        i -> "id=" + ids[i], "dataset " + data.name());
    List<Row> rows = new ArrayList<>(ids.length);
    for (int i : order) {
      rows.add(RowFactory.create(ids[i], data.features(i), data.label(i)));
    }
    return rows;
  }

  /**
   * Checks that rows read from a table are as wide as the model's input (an image model's C x H x W
   * floats, say), before any of them reaches the model.
   *
   * @param rows rows read by {@link #toCore}
   * @param source the table they came from
   * @throws InvalidTableException naming the table, its features column and both widths
   */
  public static void requireWidth(Dataset rows, String source, ModelSpec model) {
    if (rows.dim() != model.inputDim()) {
      throw new InvalidTableException(source, "column " + Columns.FEATURES + " holds "
          + rows.dim() + " floats per row: model " + model.name() + " takes "
          + model.inputDim() + "; write the table at that width or choose a model for "
          + rows.dim() + " inputs");
    }
  }

  /**
   * Rows collected in id order from a conformed table; the feature dimension is the first row's
   * and every other row must match it.
   *
   * @throws InvalidTableException for an empty table, a null, a repeated id, a row whose
   *     features have another length, or a NaN or infinite feature (the message names its id)
   * @throws IllegalArgumentException if a label is outside [0, numClasses)
   */
  public static Dataset toCore(List<Row> rows, String source, int numClasses) {
    KeyOrder.requireUnique(rows, TableFormat.INPUT_ROWS, source);
    int n = rows.size();
    if (n == 0) {
      throw new InvalidTableException(source, "has no rows: expected at least one example");
    }
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = null;
    int dim = 0;
    for (int r = 0; r < n; r++) {
      RowValues v = new RowValues(source, rows.get(r), TableFormat.INPUT_ROWS);
      ids[r] = v.getLong(Columns.ID);
      labels[r] = v.getInt(Columns.LABEL);
      float[] x = v.getFloats(Columns.FEATURES);
      if (features == null) {
        dim = x.length;
        if (dim == 0) {
          throw new InvalidTableException(source, "row id=" + ids[r]
              + " has 0 features: expected at least one");
        }
        features = new float[Math.multiplyExact(n, dim)];
      } else if (x.length != dim) {
        throw new InvalidTableException(source, "row id=" + ids[r] + " has " + x.length
            + " features: expected " + dim + " like row id=" + ids[0]);
      }
      int bad = NonFinite.firstIndex(x);
      if (bad >= 0) {
        throw new InvalidTableException(source, "row id=" + ids[r] + " has a non-finite feature "
            + x[bad] + " at index " + bad + ": every feature must be a finite number; fix or drop"
            + " the row");
      }
      System.arraycopy(x, 0, features, r * dim, dim);
    }
    return new Dataset(source, ids, features, labels, dim, numClasses);
  }
}
