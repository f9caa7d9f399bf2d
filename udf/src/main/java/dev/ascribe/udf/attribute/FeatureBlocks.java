package dev.ascribe.udf.attribute;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.udf.io.Columns;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;

/**
 * Decodes a features table into blocks of rows of one checkpoint (at most {@code size} rows
 * each), straight from Spark's internal rows into primitive arrays: no {@code Row}, no boxed
 * {@code List<Float>}. Partition functions then use matrix products whatever the row order.
 *
 * <p>Rows are buffered per checkpoint and a block goes out when its buffer is full, then the rest
 * at the end in checkpoint order: deterministic for a given row order, whatever that order is.
 */
final class FeatureBlocks {
  static final int SIZE = 256;

  private FeatureBlocks() {}

  /**
   * The blocks of every partition of {@code features} (lazy; partition i of the result holds the
   * blocks of partition i of the table), checking that every row has {@code k} values.
   */
  static JavaRDD<FeatureMatrix> of(Dataset<Row> features, int size, int k) {
    Ordinals at = new Ordinals(features.schema());
    return features.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(rows -> new Blocks(rows, at, size, k));
  }

  /** Where the features columns sit in the internal rows. */
  private record Ordinals(int id, int model, int label, int phi, int q) implements Serializable {
    Ordinals(StructType schema) {
      this(schema.fieldIndex(Columns.EXAMPLE_ID), schema.fieldIndex(Columns.MODEL),
          schema.fieldIndex(Columns.LABEL), schema.fieldIndex(Columns.PHI),
          schema.fieldIndex(Columns.Q));
    }
  }

  /** Pulls rows until a block is full; at the end, the partial blocks in checkpoint order. */
  private static final class Blocks implements Iterator<FeatureMatrix> {
    private final Iterator<InternalRow> rows;
    private final Ordinals at;
    private final int size;
    private final int k;
    private final TreeMap<Integer, Buffer> buffers = new TreeMap<>();
    private final ArrayDeque<FeatureMatrix> ready = new ArrayDeque<>();
    private boolean flushed;

    Blocks(Iterator<InternalRow> rows, Ordinals at, int size, int k) {
      this.rows = rows;
      this.at = at;
      this.size = size;
      this.k = k;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !flushed) {
        if (rows.hasNext()) {
          add(rows.next());
        } else {
          for (Map.Entry<Integer, Buffer> e : buffers.entrySet()) {
            if (e.getValue().n > 0) {
              ready.add(e.getValue().drain(e.getKey()));
            }
          }
          flushed = true;
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public FeatureMatrix next() {
      if (!hasNext()) {
        throw new NoSuchElementException("no more feature blocks in this partition");
      }
      return ready.poll();
    }

    private void add(InternalRow r) {
      int model = r.getInt(at.model());
      long id = r.getLong(at.id());
      ArrayData phi = r.getArray(at.phi());
      if (phi.numElements() != k) {
        throw new IllegalArgumentException("features of example " + id + ", model " + model
            + " have " + phi.numElements() + " values: expected projection.dim = " + k
            + "; the features table was written with another projection dimension: rerun"
            + " featurize");
      }
      Buffer b = buffers.computeIfAbsent(model, m -> new Buffer(Math.min(size, 1024), k));
      b.add(id, r.getInt(at.label()), r.getFloat(at.q()), phi);
      if (b.n == size) {
        ready.add(b.drain(model));
      }
    }
  }

  /** One checkpoint's rows so far, as growing primitive arrays. */
  private static final class Buffer {
    private final int k;
    private long[] ids;
    private int[] labels;
    private float[] q;
    private float[] phi;
    private int n;

    Buffer(int capacity, int k) {
      this.k = k;
      ids = new long[capacity];
      labels = new int[capacity];
      q = new float[capacity];
      phi = new float[capacity * k];
    }

    void add(long id, int label, float qValue, ArrayData values) {
      if (n == ids.length) {
        long grown = Math.max(1L, 2L * n);
        if (grown * k > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("a partition of the features table holds more than "
              + n + " rows of one model with k = " + k + ": too many for one block; use more"
              + " partitions");
        }
        ids = Arrays.copyOf(ids, (int) grown);
        labels = Arrays.copyOf(labels, (int) grown);
        q = Arrays.copyOf(q, (int) grown);
        phi = Arrays.copyOf(phi, (int) grown * k);
      }
      ids[n] = id;
      labels[n] = label;
      q[n] = qValue;
      int offset = n * k;
      for (int j = 0; j < k; j++) {
        phi[offset + j] = values.getFloat(j);
      }
      n++;
    }

    /** The buffered rows as a block (copied to exact length); the buffer is empty after. */
    FeatureMatrix drain(int model) {
      FeatureMatrix m = new FeatureMatrix(model, Arrays.copyOf(ids, n),
          Arrays.copyOf(labels, n), Arrays.copyOf(phi, n * k), Arrays.copyOf(q, n), k);
      n = 0;
      return m;
    }
  }
}
