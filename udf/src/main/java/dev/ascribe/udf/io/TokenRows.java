package dev.ascribe.udf.io;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Checks an input-rows table whose features are token ids (a sequence model's input, such as the
 * GPT's): every row must hold exactly {@code width} values, each a whole number in [0,
 * vocabulary). Runs as one Spark query over the table, so it scales with it; the first offending
 * row (lowest id) is named with what was expected.
 */
public final class TokenRows {
  private TokenRows() {}

  /**
   * @param rows an input-rows table (e.g. from {@link Tables#readInputRows})
   * @param source the table's path, named in the message
   * @param width token ids per row (T + 1)
   * @param vocabulary number of token ids V
   * @throws InvalidTableException naming the table, the features column, the row id and the
   *     expected length or range
   */
  public static void check(Dataset<Row> rows, String source, int width, int vocabulary) {
    String features = Columns.FEATURES;
    String badId = "exists(" + features + ", v -> v < 0 OR v >= " + vocabulary
        + " OR v != floor(v))";
    List<Row> bad = TableFormat.INPUT_ROWS.conform(rows, source)
        .where(functions.size(functions.col(features)).notEqual(width)
            .or(functions.expr(badId)))
        .orderBy(Columns.ID).limit(1).collectAsList();
    if (bad.isEmpty()) {
      return;
    }
    RowValues row = new RowValues(source, bad.get(0), TableFormat.INPUT_ROWS);
    long id = row.getLong(Columns.ID);
    float[] ids = row.getFloats(Columns.FEATURES);
    if (ids.length != width) {
      throw new InvalidTableException(source, "column '" + features + "' of row id=" + id
          + " holds " + ids.length + " token ids: expected " + width + " (the model's context"
          + " T = " + (width - 1) + " and the token after it)");
    }
    for (int i = 0; i < ids.length; i++) {
      float v = ids[i];
      if (!(v >= 0 && v < vocabulary && v == Math.floor(v))) {
        throw new InvalidTableException(source, "column '" + features + "' of row id=" + id
            + " holds " + v + " at index " + i + ": expected a token id, a whole number in [0, "
            + vocabulary + ")");
      }
    }
    throw new IllegalStateException("row id=" + id + " of " + source + " was selected as invalid"
        + " but every token id is valid");
  }
}
