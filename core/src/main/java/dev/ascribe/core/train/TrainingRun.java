package dev.ascribe.core.train;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Seeds;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the models of a run folder: model i gets its own seed derived from the run seed, is
 * trained on the given rows and saved at the requested epochs (and always at the last one). A model
 * already in the store with the same architecture, training options, seed and training data is
 * reused; one that differs is retrained and the log says why.
 *
 * @param arch the model
 * @param options SGD options
 * @param checkpointEpochs epochs to save besides the last
 * @param runSeed the run's seed; model i uses {@code Seeds.derive(runSeed, i)}
 */
public record TrainingRun(ModelSpec arch, TrainOptions options,
    SortedSet<Integer> checkpointEpochs, long runSeed) {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  public TrainingRun {
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(options, "options");
    checkpointEpochs = new TreeSet<>(checkpointEpochs);
    for (int e : checkpointEpochs) {
      if (e < 1 || e > options.epochs()) {
        throw new IllegalArgumentException("train option checkpoints given epoch " + e
            + ": must be in [1, " + options.epochs() + "] (train.epochs)");
      }
    }
  }

  /** The seed of model {@code model}. */
  public long modelSeed(int model) {
    return Seeds.derive(runSeed, model);
  }

  /**
   * Makes sure model {@code model} is trained and saved in {@code store}.
   *
   * @param train training rows
   * @param eval rows to report accuracy on (may be null)
   * @return the stored record
   */
  public ModelRecord ensure(ModelStore store, int model, Dataset train, Dataset eval,
      NDManager manager) throws IOException {
    ModelRecord existing = store.readDescription(model);
    String reason = existing == null ? "not trained yet" : mismatch(existing, model, train);
    if (reason == null) {
      LOG.info("model {}: reusing {} (same architecture, options, seed and data)", model,
          store.modelDir(model));
      return existing;
    }
    LOG.info("model {}: training ({})", model, reason);
    return train(store, model, train, eval, manager);
  }

  private ModelRecord train(ModelStore store, int model, Dataset train, Dataset eval,
      NDManager manager) throws IOException {
    long seed = modelSeed(model);
    Map<Integer, String> hashes = new TreeMap<>();
    try (Model net = arch.initialize(manager, seed)) {
      new SgdTrainer(options).train(net, train, seed, (epoch, n) -> {
        if (checkpointEpochs.contains(epoch) || epoch == options.epochs()) {
          hashes.put(epoch, store.save(model, epoch, n));
        }
      });
      Map<String, Object> metrics = new LinkedHashMap<>();
      if (eval != null) {
        metrics.put("accuracy", Accuracy.of(net, eval));
        metrics.put("accuracy_on", eval.name());
      }
      ModelRecord record =
          new ModelRecord(arch, seed, trainingMap(), train.name(), hashes, metrics);
      store.writeDescription(model, record);
      return record;
    }
  }

  /**
   * How stored model {@code model} differs from what this run would train (architecture,
   * training options, seed, data, saved epochs), or null if it can be reused or is not stored.
   */
  public String difference(ModelStore store, int model, Dataset train) throws IOException {
    ModelRecord existing = store.readDescription(model);
    return existing == null ? null : mismatch(existing, model, train);
  }

  private String mismatch(ModelRecord r, int model, Dataset train) {
    if (!r.spec().equals(arch)) {
      return "stored architecture " + r.spec() + " differs from " + arch;
    }
    if (!r.training().equals(normalize(trainingMap()))) {
      return "stored training options " + r.training() + " differ from " + trainingMap();
    }
    if (r.seed() != modelSeed(model)) {
      return "stored seed " + r.seed() + " differs from " + modelSeed(model);
    }
    if (!r.trainData().equals(train.name())) {
      return "stored training data " + r.trainData() + " differs from " + train.name();
    }
    for (int e : checkpointEpochs) {
      if (!r.epochHashes().containsKey(e)) {
        return "checkpoint epoch " + e + " was not saved";
      }
    }
    return null;
  }

  private Map<String, Object> trainingMap() {
    Map<String, Object> m = options.toMap();
    m.put("checkpoints", checkpointEpochs.stream().toList());
    return m;
  }

  /** JSON round trips turn integers into doubles; compare in that form. */
  private static Map<String, Object> normalize(Map<String, Object> m) {
    return new com.google.gson.Gson().fromJson(new com.google.gson.Gson().toJson(m),
        new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType());
  }
}
