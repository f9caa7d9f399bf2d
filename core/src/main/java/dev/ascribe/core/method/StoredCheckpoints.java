package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The stored checkpoints a method featurizes, read from each model's record by the method's
 * {@link CheckpointRule}. Most methods use each model's final epoch. TracIn uses every epoch the model's training listed in {@code checkpoints}
 * and saved (every saved epoch when the record lists none), each weighted η / models with η the
 * record's learning rate: TracInCP of one model is Σ_c η g'_cᵀ g_c (DESIGN.md), and several models
 * are averaged. RPS then refits these on the training rows ({@link MethodSpec#prepare}).
 *
 * @param checkpoints what to featurize, in model then epoch order
 * @param hashes the SHA-256 of each one's parameter file, same order
 */
public record StoredCheckpoints(List<Checkpoint> checkpoints, List<String> hashes) {
  public StoredCheckpoints {
    checkpoints = List.copyOf(checkpoints);
    hashes = List.copyOf(hashes);
  }

  /**
   * Selects the checkpoints of {@code method} from models m0 .. m{records.size() - 1}.
   *
   * @param records the models' records, model i at index i
   * @throws IllegalArgumentException if the rule weighs by learning rate and a record has none
   */
  public static StoredCheckpoints select(MethodSpec spec, ModelStore store,
      List<ModelRecord> records) throws IOException {
    boolean listed =
        spec.definition().checkpointRule() == CheckpointRule.LISTED_EPOCHS_BY_LEARNING_RATE;
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      ModelRecord record = records.get(i);
      SortedSet<Integer> epochs = listed ? listedEpochs(record)
          : new TreeSet<>(List.of(record.finalEpoch()));
      double weight = listed ? learningRate(spec, record, store, i) / records.size() : 1;
      for (int epoch : epochs) {
        Checkpoint c = Checkpoint.fromStore(store, i, epoch);
        checkpoints.add(listed ? c.withWeight(weight) : c);
        hashes.add(record.epochHashes().get(epoch));
      }
    }
    return new StoredCheckpoints(checkpoints, hashes);
  }

  /** The epochs TracIn's rule sums over for one model: listed and saved, else every saved one. */
  public static SortedSet<Integer> listedEpochs(ModelRecord record) {
    SortedSet<Integer> saved = new TreeSet<>(record.epochHashes().keySet());
    SortedSet<Integer> listed = new TreeSet<>();
    if (record.training().get("checkpoints") instanceof List<?> list) {
      for (Object epoch : list) {
        listed.add(((Number) epoch).intValue());
      }
    }
    listed.retainAll(saved);
    return listed.isEmpty() ? saved : listed;
  }

  private static double learningRate(MethodSpec spec, ModelRecord record, ModelStore store,
      int model) {
    if (record.training().get("lr") instanceof Number lr) {
      return lr.doubleValue();
    }
    throw new IllegalArgumentException(spec.method() + " weighs each checkpoint by the learning rate, but "
        + store.modelDir(model).file(ModelStore.DESCRIPTION) + " has no training.lr");
  }
}
