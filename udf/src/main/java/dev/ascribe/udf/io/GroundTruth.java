package dev.ascribe.udf.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A {@link TableFormat#GROUND_TRUTH groundtruth} table in memory: M retrained models, each with
 * its training subset and its outputs on the same m queries. Matrices are {@code [model][query]}.
 * The table itself has one row per (model, query), the subset repeated on each. Arrays are
 * shared, not copied.
 *
 * @param modelIds model ids, length M
 * @param subsets training example ids each model was trained on, {@code [model][]}
 * @param queryIds query ids, length m
 * @param logp log p_y of each query under each model, {@code [model][query]}, M x m
 * @param margin the margin of each query under each model, {@code [model][query]}, M x m
 */
public record GroundTruth(
    int[] modelIds, long[][] subsets, long[] queryIds, double[][] logp, double[][] margin) {
  /**
   * @throws IllegalArgumentException if the shapes disagree, a subset is null, or a model or
   *     query id occurs twice
   */
  public GroundTruth {
    int models = modelIds.length;
    if (subsets.length != models || logp.length != models || margin.length != models) {
      throw new IllegalArgumentException("groundtruth: " + models + " model ids, "
          + subsets.length + " subsets, " + logp.length + " logp rows and " + margin.length
          + " margin rows: expected one of each per model");
    }
    for (int j = 0; j < models; j++) {
      if (subsets[j] == null || logp[j] == null || margin[j] == null
          || logp[j].length != queryIds.length || margin[j].length != queryIds.length) {
        throw new IllegalArgumentException("groundtruth: model_id=" + modelIds[j]
            + " has a missing subset or a logp/margin row whose length is not the number of"
            + " queries, " + queryIds.length);
      }
    }
    KeyOrder.sortedUnique(models, Comparator.comparingInt(j -> modelIds[j]),
        j -> "model_id=" + modelIds[j], "groundtruth model ids");
    KeyOrder.sortedUnique(queryIds.length, Comparator.comparingLong(q -> queryIds[q]),
        q -> "query_id=" + queryIds[q], "groundtruth query ids");
  }

  /** One row per (model, query), in key order (model_id, query_id). */
  List<Row> toRows() {
    int[] models = KeyOrder.sortedUnique(modelIds.length,
        Comparator.comparingInt(j -> modelIds[j]), j -> "model_id=" + modelIds[j], "groundtruth");
    int[] queries = KeyOrder.sortedUnique(queryIds.length,
        Comparator.comparingLong(q -> queryIds[q]), q -> "query_id=" + queryIds[q],
        "groundtruth");
    List<Row> rows = new ArrayList<>(modelIds.length * queryIds.length);
    for (int j : models) {
      for (int q : queries) {
        rows.add(RowFactory.create(modelIds[j], subsets[j], queryIds[q], logp[j][q],
            margin[j][q]));
      }
    }
    return rows;
  }

  /**
   * Values rows (model_id, query_id, logp, margin) collected in key order, and each model's
   * subset (read once per model by {@link GroundTruthReader}). Every model must have a row for
   * every query.
   */
  static GroundTruth fromRows(List<Row> rows, Map<Integer, long[]> subsetOf, String path) {
    KeyOrder.requireUnique(rows, TableFormat.GROUND_TRUTH, path);
    List<Integer> modelIds = new ArrayList<>();
    List<long[]> subsets = new ArrayList<>();
    List<double[]> logp = new ArrayList<>();
    List<double[]> margin = new ArrayList<>();
    long[] queryIds = null;
    int r = 0;
    while (r < rows.size()) {
      // Rows are sorted by (model_id, query_id): one model's rows are contiguous.
      int start = r;
      int model = values(path, rows.get(r)).getInt(Columns.MODEL_ID);
      while (r < rows.size() && values(path, rows.get(r)).getInt(Columns.MODEL_ID) == model) {
        r++;
      }
      long[] queries = new long[r - start];
      double[] lp = new double[r - start];
      double[] mg = new double[r - start];
      for (int i = start; i < r; i++) {
        RowValues v = values(path, rows.get(i));
        queries[i - start] = v.getLong(Columns.QUERY_ID);
        lp[i - start] = v.getDouble(Columns.LOGP);
        mg[i - start] = v.getDouble(Columns.MARGIN);
      }
      if (queryIds == null) {
        queryIds = queries;
      } else if (!Arrays.equals(queries, queryIds)) {
        throw new InvalidTableException(path, "model_id=" + model + " has queries "
            + abbreviate(queries) + " but model_id=" + modelIds.get(0) + " has "
            + abbreviate(queryIds) + ": every model needs a row for each of the same queries");
      }
      long[] subset = subsetOf.get(model);
      if (subset == null) {
        throw new IllegalStateException(path + ": no subset was read for model_id=" + model);
      }
      modelIds.add(model);
      subsets.add(subset);
      logp.add(lp);
      margin.add(mg);
    }
    return new GroundTruth(modelIds.stream().mapToInt(Integer::intValue).toArray(),
        subsets.toArray(long[][]::new), queryIds == null ? new long[0] : queryIds,
        logp.toArray(double[][]::new), margin.toArray(double[][]::new));
  }

  private static RowValues values(String path, Row row) {
    return new RowValues(path, row, TableFormat.GROUND_TRUTH);
  }

  private static String abbreviate(long[] ids) {
    return ids.length <= 10 ? Arrays.toString(ids)
        : Arrays.toString(Arrays.copyOf(ids, 10)).replace("]", ", ... (" + ids.length
            + " in all)]");
  }
}
