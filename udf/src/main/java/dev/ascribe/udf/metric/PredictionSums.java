package dev.ascribe.udf.metric;

import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.InvalidTableException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The partition function of {@link LdsAggregation}: one partition's share of the LDS predictions
 * ĝ_j(q) = Σ_{i ∈ S_j} τ(q, i), summed in double precision in the partition's row order.
 *
 * <p>The partial is one flat vector (so that {@link OrderedSum} can add partials of any kind):
 * {@code [j * m + q]} for j in [0, M), q in [0, m) holds ĝ_j(q); then {@code [M * m + j]} the
 * number of rows of S_j seen; then {@code [M * m + M]} the number of rows. Counts are held as
 * doubles, which add exactly below 2^53.
 */
final class PredictionSums
    implements Function2<Integer, Iterator<Row>, Iterator<Tuple2<Integer, double[]>>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SubsetMembership> membership;
  private final int numQueries;
  private final int idColumn;
  private final int scoresColumn;
  private final String path;

  /**
   * @param membership the subsets, broadcast
   * @param numQueries m, the length of every row's score array
   * @param schema the schema of the rows (full scores columns, any order)
   * @param path the scores table, for messages
   */
  PredictionSums(Broadcast<SubsetMembership> membership, int numQueries, StructType schema,
      String path) {
    this.membership = membership;
    this.numQueries = numQueries;
    this.idColumn = schema.fieldIndex(Columns.EXAMPLE_ID);
    this.scoresColumn = schema.fieldIndex(Columns.SCORES);
    this.path = path;
  }

  /** Length of a partial for M subsets and m queries. */
  static int length(int numSubsets, int numQueries) {
    return numSubsets * numQueries + numSubsets + 1;
  }

  /** Offset of the count of rows of subset j. */
  static int matchedAt(int numSubsets, int numQueries, int j) {
    return numSubsets * numQueries + j;
  }

  /** Offset of the count of all rows. */
  static int rowsAt(int numSubsets, int numQueries) {
    return numSubsets * numQueries + numSubsets;
  }

  @Override
  public Iterator<Tuple2<Integer, double[]>> call(Integer partition, Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator();
    }
    SubsetMembership members = membership.value();
    int numSubsets = members.numSubsets();
    int m = numQueries;
    double[] partial = new double[length(numSubsets, m)];
    double[] scores = new double[m];
    long count = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      count++;
      if (row.isNullAt(idColumn) || row.isNullAt(scoresColumn)) {
        throw new InvalidTableException(path, "a row has a null " + (row.isNullAt(idColumn)
            ? Columns.EXAMPLE_ID : Columns.SCORES + " (example_id=" + row.getLong(idColumn)
            + ")") + ": every value of an Ascribe table must be set; rewrite the table");
      }
      long id = row.getLong(idColumn);
      List<Float> values = row.getList(scoresColumn);
      if (values.size() != m) {
        throw new InvalidTableException(path, "row example_id=" + id + " has " + values.size()
            + " scores: expected " + m + ", one per query of its _queries.json; rewrite the"
            + " table");
      }
      int u = members.indexOf(id);
      if (u < 0) {
        continue; // in no subset: its scores add to no prediction
      }
      for (int q = 0; q < m; q++) {
        Float v = values.get(q);
        if (v == null) {
          throw new InvalidTableException(path, "row example_id=" + id + " has a null scores["
              + q + "]: every value of an Ascribe table must be set; rewrite the table");
        }
        scores[q] = v;
      }
      for (int p = members.from(u); p < members.to(u); p++) {
        int j = members.subsetAt(p);
        int base = j * m;
        for (int q = 0; q < m; q++) {
          partial[base + q] += scores[q];
        }
        partial[matchedAt(numSubsets, m, j)] += 1;
      }
    }
    partial[rowsAt(numSubsets, m)] = count;
    return List.of(new Tuple2<>(partition, partial)).iterator();
  }
}
