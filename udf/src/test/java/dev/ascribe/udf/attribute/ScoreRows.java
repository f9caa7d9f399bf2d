package dev.ascribe.udf.attribute;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Score rows (example_id, scores) collected into a map, for comparing Spark with in memory. */
final class ScoreRows {
  private ScoreRows() {}

  static Map<Long, float[]> byExampleId(Dataset<Row> scores) {
    Map<Long, float[]> out = new HashMap<>();
    for (Row r : scores.collectAsList()) {
      List<Float> s = r.getList(1);
      float[] v = new float[s.size()];
      for (int q = 0; q < v.length; q++) {
        v[q] = s.get(q);
      }
      out.put(r.getLong(0), v);
    }
    return out;
  }
}
