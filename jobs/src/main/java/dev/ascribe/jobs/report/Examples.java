package dev.ascribe.jobs.report;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The examples a page shows, by id, read from where the run read them (a built-in dataset's
 * records, or a Parquet input table): only those rows, never the whole source.
 */
final class Examples {
  private final Dataset rows;
  private final Map<Long, Integer> rowOf = new HashMap<>();

  private Examples(Dataset rows) {
    this.rows = rows;
    for (int r = 0; r < rows.size(); r++) {
      rowOf.put(rows.id(r), r);
    }
  }

  /**
   * Reads the rows {@code ids} of {@code spec}.
   *
   * @throws IllegalArgumentException if an id is not in the source
   */
  static Examples read(Setting.RowSpec spec, long[] ids, Path dataRoot, SparkSession spark)
      throws IOException {
    if (ids.length == 0) {
      return new Examples(null);
    }
    Dataset rows;
    if (spec.fromParquet()) {
      rows = Tables.toCoreDataset(Tables.readInputRows(spark, spec.path()).where(
          functions.col(Columns.ID).isin(Arrays.stream(ids).boxed().toArray())), spec.path(),
          spec.dataset().numClasses());
    } else {
      // One range of records from the smallest id to the largest: one pass over the file.
      long from = Arrays.stream(ids).min().getAsLong();
      long to = Arrays.stream(ids).max().getAsLong() + 1;
      rows = spec.dataset().loadRange(dataRoot, spec.split(), Math.toIntExact(from),
          Math.toIntExact(to));
    }
    Examples examples = new Examples(rows);
    for (long id : ids) {
      if (!examples.rowOf.containsKey(id)) {
        throw new IllegalArgumentException("example " + id + " is not in " + spec.describe());
      }
    }
    return examples;
  }

  float[] features(long id) {
    return rows.features(rowOf.get(id));
  }

  int label(long id) {
    return rows.label(rowOf.get(id));
  }

  /** The shown rows as a dataset (for predictions), in {@code ids} order. */
  Dataset subset(long[] ids) {
    int[] at = Arrays.stream(ids).mapToInt(rowOf::get).toArray();
    return rows.select(at, rows.name() + " (shown)");
  }
}
