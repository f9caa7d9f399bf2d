package dev.ascribe.udf.attribute;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.precondition.KfacOptions;
import dev.ascribe.core.precondition.KfacPasses;
import dev.ascribe.core.precondition.PartitionFit;
import dev.ascribe.udf.io.InputRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * One partition of training input rows run through the curvature passes of every checkpoint
 * (core {@link KfacPasses}, so the sums are the in-memory API's): one fit per checkpoint, keyed
 * for the ordered merge by the partition's smallest example id, then its index (nothing for an
 * empty partition).
 *
 * @param <F> the fit of one pass
 */
final class PassPartition<F extends PartitionFit<Backprop, F, ?>>
    implements Function2<Integer, Iterator<Row>, Iterator<PassPartition.ModelFit<F>>> {
  private static final long serialVersionUID = 1L;

  /** Makes checkpoint c's empty fit on the executor. */
  @FunctionalInterface
  interface Maker<F> extends Serializable {
    F create(int c);
  }

  /** Checkpoint {@code model}'s fit of one partition. */
  record ModelFit<F>(int model, PartitionFit.Keyed<F> keyed) implements Serializable {}

  private final Broadcast<List<Checkpoint>> checkpoints;
  private final KfacOptions options;
  private final int batchSize;
  private final int numClasses;
  private final String source;
  private final Maker<F> maker;

  PassPartition(Broadcast<List<Checkpoint>> checkpoints, KfacOptions options, int batchSize,
      int numClasses, String source, Maker<F> maker) {
    this.checkpoints = checkpoints;
    this.options = options;
    this.batchSize = batchSize;
    this.numClasses = numClasses;
    this.source = source;
    this.maker = maker;
  }

  @Override
  public Iterator<ModelFit<F>> call(Integer partition, Iterator<Row> input) {
    List<Row> rows = new ArrayList<>();
    input.forEachRemaining(rows::add);
    List<ModelFit<F>> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out.iterator();
    }
    Dataset part = InputRows.toCore(rows, source, numClasses);
    InputRows.requireWidth(part, source, checkpoints.value().get(0).spec());
    long smallest = Long.MAX_VALUE;
    for (long id : part.ids()) {
      smallest = Math.min(smallest, id);
    }
    int[] all = Inputs.range(0, part.size());
    List<Checkpoint> list = checkpoints.value();
    for (int c = 0; c < list.size(); c++) {
      F fit = KfacPasses.run(maker.create(c), list.get(c), c, part, all, options, batchSize);
      out.add(new ModelFit<>(c, new PartitionFit.Keyed<>(smallest, partition, fit)));
    }
    return out.iterator();
  }
}
