package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.feature.Featurizer;
import dev.ascribe.core.method.InnerProductAttributor;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.parallel.IndexedTasks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Features of training, query and validation rows computed in this JVM (the in-memory path of
 * {@link InnerProductAttributor}, no Spark), for λ selection and sensitivity sweeps where the
 * small benchmark settings fit in memory and every λ reuses them.
 *
 * @param attributor the attributor the features belong to (recipe, coefficients)
 * @param train training features per checkpoint
 * @param queries query features per checkpoint (empty lists when no queries were asked for)
 * @param validation validation query features per checkpoint
 * @param seconds wall time of featurization
 */
record InProcessFeatures(InnerProductAttributor attributor, List<FeatureMatrix> train,
    List<FeatureMatrix> queries, List<FeatureMatrix> validation, double seconds) {

  /** Features of {@code checkpoints} for {@code spec}; {@code queries} may be null. */
  static InProcessFeatures of(MethodSpec spec, List<Checkpoint> checkpoints, Dataset train,
      Dataset queries, Dataset validation) {
    long start = System.nanoTime();
    InnerProductAttributor a = spec.create(checkpoints, 1);
    int[] rows = Inputs.range(0, train.size());
    List<FeatureMatrix[]> per = IndexedTasks.runUnchecked(checkpoints.size(),
        IndexedTasks.defaultThreads(), c -> {
          try (Featurizer f = a.featurizer(c)) {
            return new FeatureMatrix[] {a.trainFeatures(f, train, rows),
                queries == null ? null : a.queryFeatures(f, queries),
                a.queryFeatures(f, validation)};
          }
        });
    List<FeatureMatrix> t = new ArrayList<>();
    List<FeatureMatrix> q = new ArrayList<>();
    List<FeatureMatrix> v = new ArrayList<>();
    for (FeatureMatrix[] m : per) {
      t.add(m[0]);
      if (m[1] != null) {
        q.add(m[1]);
      }
      v.add(m[2]);
    }
    return new InProcessFeatures(a, t, q, v, (System.nanoTime() - start) / 1e9);
  }

  /** The first {@code count} checkpoints' features (an ensemble of fewer models). */
  InProcessFeatures first(int count) {
    return new InProcessFeatures(attributor, train.subList(0, count),
        queries.isEmpty() ? queries : queries.subList(0, count), validation.subList(0, count),
        seconds);
  }

  /**
   * Checkpoints of models 0..count-1 of a store at {@code epoch} (0: each model's final epoch).
   *
   * @throws IllegalArgumentException if a model is missing, naming the folder and the option
   */
  static List<Checkpoint> checkpoints(ModelStore store, int count, int epoch) throws IOException {
    List<Checkpoint> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!store.dir().exists(ModelStore.modelName(i))) {
        throw new IllegalArgumentException("model " + i + " not found in " + store.dir()
            + ": set models.dir to a folder of trained models (e.g. a run's models/) with at"
            + " least models.count = " + count + " models; 'train' or 'attribute' makes them");
      }
      int e = epoch > 0 ? epoch : store.readDescription(i).finalEpoch();
      out.add(Checkpoint.fromStore(store, i, e));
    }
    return out;
  }
}
