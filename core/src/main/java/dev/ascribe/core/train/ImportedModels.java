package dev.ascribe.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.model.ModelStore.ModelRecord;
import dev.ascribe.core.model.TorchScriptModel;
import dev.ascribe.core.model.TorchScriptSpec;
import dev.ascribe.core.provenance.Hashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models that come from files instead of training: checkpoint file i of a {@link TorchScriptSpec}
 * becomes model m{i} of a run folder's {@link ModelStore}, with one saved epoch ({@link #EPOCH})
 * holding its parameters, so every later stage (featurize, kernel, score) reads it like a trained
 * model. model.json records the file and its SHA-256 under {@code training}; a stored model with
 * the same spec and file hash is reused.
 */
public final class ImportedModels {
  /** The epoch an imported checkpoint is saved as. */
  public static final int EPOCH = 1;

  private static final Logger LOG = LoggerFactory.getLogger(ImportedModels.class);

  private ImportedModels() {}

  /**
   * Makes sure model {@code model} holds checkpoint file {@code model} of {@code spec}.
   *
   * @param eval rows to report accuracy on (may be null)
   * @return the stored record
   */
  public static ModelRecord ensure(ModelStore store, TorchScriptSpec spec, int model,
      Dataset eval, NDManager manager) throws IOException {
    Path file = Path.of(spec.checkpoints().get(model));
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("imported_from", file.toString());
    source.put("sha256", Hashes.sha256(file));
    ModelRecord existing = store.readDescription(model);
    if (existing != null && existing.spec().equals(spec) && existing.training().equals(source)) {
      LOG.info("model {}: reusing {} (imported from {})", model, store.modelDir(model), file);
      return existing;
    }
    LOG.info("model {}: importing {}", model, file);
    try (TorchScriptModel net = spec.open(manager, DataType.FLOAT32);
        TorchScriptModel checkpoint = TorchScriptSpec.inspect(file, spec.inputDim(),
            spec.numClasses()).open(manager, DataType.FLOAT32)) {
      net.setParameters(checkpoint.parametersAsDouble());
      Map<Integer, String> hashes = new TreeMap<>();
      hashes.put(EPOCH, store.save(model, EPOCH, net));
      Map<String, Object> metrics = new LinkedHashMap<>();
      if (eval != null) {
        metrics.put("accuracy", Accuracy.of(net, eval));
        metrics.put("accuracy_on", eval.name());
      }
      ModelRecord record = new ModelRecord(spec, 0, source, "imported", hashes, metrics);
      store.writeDescription(model, record);
      return record;
    }
  }
}
