package dev.ascribe.udf.io;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Typed access to collected rows that turns nulls and null array elements into messages naming
 * the table, the row's key and the column (Spark reads every Parquet column as nullable).
 */
final class RowValues {
  private final String path;
  private final Row row;
  private final TableFormat format;

  RowValues(String path, Row row, TableFormat format) {
    this.path = path;
    this.row = row;
    this.format = format;
  }

  /** This row's key for messages, e.g. "model=0, example_id=17" (built only when needed). */
  String key() {
    return key(row, format.keys());
  }

  long getLong(String column) {
    return row.getLong(index(column));
  }

  int getInt(String column) {
    return row.getInt(index(column));
  }

  float getFloat(String column) {
    return row.getFloat(index(column));
  }

  double getDouble(String column) {
    return row.getDouble(index(column));
  }

  String getString(String column) {
    return row.getString(index(column));
  }

  float[] getFloats(String column) {
    List<Float> list = row.getList(index(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      Float v = list.get(i);
      if (v == null) {
        throw nullAt(column + "[" + i + "]");
      }
      out[i] = v;
    }
    return out;
  }

  long[] getLongs(String column) {
    List<Long> list = row.getList(index(column));
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Long v = list.get(i);
      if (v == null) {
        throw nullAt(column + "[" + i + "]");
      }
      out[i] = v;
    }
    return out;
  }

  private int index(String column) {
    int i = row.fieldIndex(column);
    if (row.isNullAt(i)) {
      throw nullAt(column);
    }
    return i;
  }

  private InvalidTableException nullAt(String where) {
    return new InvalidTableException(path, "row " + key() + " has a null " + where
        + ": every value of an Ascribe table must be set");
  }

  /** A readable key for messages, e.g. "model=0, example_id=17". */
  static String key(Row row, List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      int i = row.fieldIndex(k);
      sb.append(k).append('=').append(row.isNullAt(i) ? "null" : row.get(i));
    }
    return sb.toString();
  }
}
