package dev.ascribe.udf.attribute;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.feature.Featurizer;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.linalg.NonFinite;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.udf.io.InputRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Featurizes one partition of input rows with every checkpoint (the core {@link Featurizer}, so
 * the numbers are the in-memory API's): the model is loaded once per partition and checkpoint, and
 * the rows come out in the features schema (example_id, model, label, phi, q), checkpoint by
 * checkpoint. Each task opens its own native memory and grad mode (never DJL's JVM-wide gradient
 * collector), so several tasks may run in one executor.
 */
final class FeaturizePartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final MethodSpec spec;
  private final Broadcast<List<Checkpoint>> checkpoints;
  private final boolean querySide;
  private final int numClasses;
  private final String source;

  FeaturizePartition(MethodSpec spec, Broadcast<List<Checkpoint>> checkpoints, boolean querySide,
      int numClasses, String source) {
    this.spec = spec;
    this.checkpoints = checkpoints;
    this.querySide = querySide;
    this.numClasses = numClasses;
    this.source = source;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    List<Row> rows = new ArrayList<>();
    input.forEachRemaining(rows::add);
    if (rows.isEmpty()) {
      return Collections.emptyIterator();
    }
    Dataset part = InputRows.toCore(rows, source, numClasses);
    InputRows.requireWidth(part, source, checkpoints.value().get(0).spec());
    InnerProductAttributor attributor = spec.create(checkpoints.value(), 1);
    int[] all = Inputs.range(0, part.size());
    return new Iterator<>() {
      private int model = 0;
      private Iterator<Row> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && model < checkpoints.value().size()) {
          current = featurize(attributor, model++, part, all).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private List<Row> featurize(InnerProductAttributor attributor, int model, Dataset part,
      int[] all) {
    FeatureMatrix m;
    try (Featurizer f = attributor.featurizer(model)) {
      m = querySide ? attributor.queryFeatures(f, part) : attributor.trainFeatures(f, part, all);
    }
    List<Row> out = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      // A NaN feature would be written with _SUCCESS and a stage record and poison the kernel:
      // the task fails instead, so the features table is never committed.
      float[] phi = m.row(i);
      int bad = NonFinite.firstIndex(phi);
      if (bad >= 0 || !Float.isFinite(m.q()[i])) {
        throw new IllegalArgumentException(source + ": example_id=" + m.ids()[i] + " gives a"
            + " non-finite feature " + (bad >= 0 ? phi[bad] + " at index " + bad
                : "weight q " + m.q()[i]) + " with model " + model + ": check that model's"
            + " parameters (models.dir) and the row's values");
      }
      out.add(RowFactory.create(m.ids()[i], m.model(), m.labels()[i], phi, m.q()[i]));
    }
    return out;
  }
}
