package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.CheckpointRule;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.method.StoredCheckpoints;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.parallel.IndexedTasks;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints a method featurizes ({@link StoredCheckpoints}, by the method's
 * {@link CheckpointRule}: the final epochs, or TracIn's listed epochs weighted η / models), prepared for the method: RPS refits each last layer on the
 * training rows, on the driver ({@link MethodSpec#prepare}).
 *
 * @param checkpoints what to featurize, in model then epoch order
 * @param hashes the SHA-256 of each one's parameter file (the stage fingerprints use them)
 */
record MethodCheckpoints(List<Checkpoint> checkpoints, List<String> hashes) {
  private static final Logger LOG = LoggerFactory.getLogger(MethodCheckpoints.class);

  static MethodCheckpoints select(MethodSpec spec, ModelStore store, List<ModelRecord> records,
      Dataset train) throws IOException {
    StoredCheckpoints stored = StoredCheckpoints.select(spec, store, records);
    if (spec.definition().checkpointRule() == CheckpointRule.LISTED_EPOCHS_BY_LEARNING_RATE
        && stored.checkpoints().size() == records.size()) {
      LOG.warn("{}: each model has one saved checkpoint, its final epoch; list the epochs to"
          + " save when training (e.g. train.checkpoints = [4, 8, 12, 16, 20])", spec.method());
    }
    long t = System.nanoTime();
    List<Checkpoint> prepared =
        spec.prepare(stored.checkpoints(), train, IndexedTasks.defaultThreads());
    if (prepared != stored.checkpoints()) {
      LOG.info("{}: prepared {} checkpoint(s) in {} s", spec.method(), prepared.size(),
          String.format("%.1f", AttributeJob.since(t)));
    }
    return new MethodCheckpoints(prepared, stored.hashes());
  }
}
