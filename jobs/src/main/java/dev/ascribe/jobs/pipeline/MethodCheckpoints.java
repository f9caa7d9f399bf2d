package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.attribute.Checkpoint;
import dev.ascribe.core.attribute.MethodSpec;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.parallel.IndexedTasks;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints a method featurizes. Most methods use each model's final epoch. TracIn uses
 * every epoch listed in train.checkpoints of every model, each weighted η / models (η = train.lr):
 * TracInCP of one model is Σ_c η g'_cᵀ g_c (DESIGN.md), and several models are averaged. RPS
 * then refits each last layer on the training rows, on the driver ({@link MethodSpec#prepare}).
 *
 * @param checkpoints what to featurize, in model then epoch order
 * @param hashes the SHA-256 of each one's parameter file (the stage fingerprints use them)
 */
record MethodCheckpoints(List<Checkpoint> checkpoints, List<String> hashes) {
  private static final Logger LOG = LoggerFactory.getLogger(MethodCheckpoints.class);

  static MethodCheckpoints select(MethodSpec spec, Setting setting, ModelStore store,
      List<ModelRecord> records, Dataset train) throws IOException {
    boolean tracin = spec.method().equals("tracin");
    SortedSet<Integer> listed = setting.trainingRun().checkpointEpochs();
    if (tracin && listed.isEmpty()) {
      LOG.warn("tracin: train.checkpoints is empty, so each model's final epoch is its only"
          + " checkpoint; list the saved epochs (e.g. train.checkpoints = [4, 8, 12, 16, 20])");
    }
    double eta = setting.trainingRun().options().learningRate();
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      SortedSet<Integer> epochs = tracin && !listed.isEmpty() ? listed
          : new TreeSet<>(List.of(records.get(i).finalEpoch()));
      for (int epoch : epochs) {
        Checkpoint c = Checkpoint.fromStore(store, i, epoch);
        checkpoints.add(tracin ? c.withWeight(eta / records.size()) : c);
        hashes.add(records.get(i).epochHashes().get(epoch));
      }
    }
    long t = System.nanoTime();
    List<Checkpoint> prepared = spec.prepare(checkpoints, train, IndexedTasks.defaultThreads());
    if (prepared != checkpoints) {
      LOG.info("{}: prepared {} checkpoint(s) in {} s", spec.method(), prepared.size(),
          String.format("%.1f", AttributeJob.since(t)));
    }
    return new MethodCheckpoints(prepared, hashes);
  }
}
