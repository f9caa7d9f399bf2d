package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.ascribe.core.provenance.Hashes;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trained models of a run folder (DESIGN.md): {@code DIR/models/m<i>/epoch-<e>.params} plus
 * {@code DIR/models/m<i>/model.json}, which records the architecture, how the model was trained and
 * the SHA-256 of every saved epoch. Files are written to a temporary name and moved into place, so
 * a crash never leaves a truncated parameter file under its final name. The folder may be on any
 * file system ({@link Folder}): the local disk, or HDFS through udf's {@code HadoopFolder}.
 */
public final class ModelStore {
  /** Version of the on-disk layout; readers refuse other versions. */
  public static final int FORMAT_VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
  /** The file of each model that marks it complete. */
  public static final String DESCRIPTION = "model.json";

  private final Folder modelsDir;

  /** @param modelsDir the {@code models} folder of a run (need not exist yet) */
  public ModelStore(Folder modelsDir) {
    this.modelsDir = modelsDir;
  }

  /** @param modelsDir the {@code models} folder of a run on the local disk (need not exist yet) */
  public ModelStore(Path modelsDir) {
    this(new LocalFolder(modelsDir));
  }

  public Folder dir() {
    return modelsDir;
  }

  public Folder modelDir(int model) {
    return modelsDir.folder(modelName(model));
  }

  /** The name of model {@code model}'s folder in the store ({@code m<model>}). */
  public static String modelName(int model) {
    return "m" + model;
  }

  /** The name of epoch {@code epoch}'s parameter file in its model's folder. */
  public static String paramsName(int epoch) {
    return "epoch-" + epoch + ".params";
  }

  /**
   * Saves one epoch of model {@code model}; returns the file's SHA-256.
   *
   * @throws IllegalArgumentException if a parameter is NaN or infinite (nothing is written)
   */
  public String save(int model, int epoch, Model net) throws IOException {
    String file = modelDir(model).file(paramsName(epoch));
    // A model with a NaN or infinite parameter scores everything NaN: it is never stored, so no
    // later run can reuse it as if it were trained.
    double[] theta = net.parametersAsDouble();
    int bad = dev.ascribe.core.linalg.NonFinite.firstIndex(theta);
    if (bad >= 0) {
      throw new IllegalArgumentException("model m" + model + " epoch " + epoch + ": parameter "
          + bad + " of " + theta.length + " is " + theta[bad] + " after training, so it is not"
          + " saved to " + file + ": training diverged; lower train.lr, or check the training"
          + " rows for extreme values");
    }
    // Serialized once: the bytes written are the bytes hashed.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    net.save(bytes);
    modelDir(model).write(paramsName(epoch), bytes::writeTo);
    return Hashes.sha256(bytes.toByteArray());
  }

  /**
   * Writes {@code model.json} for model {@code model}, marking it complete. Written last: a model
   * folder without it is an interrupted training and is retrained.
   */
  public void writeDescription(int model, ModelRecord record) throws IOException {
    byte[] json = GSON.toJson(record.toMap()).getBytes(StandardCharsets.UTF_8);
    modelDir(model).write(DESCRIPTION, out -> out.write(json));
  }

  /** The description of model {@code model}, or null if it was never completed. */
  public ModelRecord readDescription(int model) throws IOException {
    Folder dir = modelDir(model);
    if (!dir.exists(DESCRIPTION)) {
      return null;
    }
    String file = dir.file(DESCRIPTION);
    String text;
    try (InputStream in = dir.open(DESCRIPTION)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, Object> map = GSON.fromJson(text,
        new TypeToken<Map<String, Object>>() {}.getType());
    Object version = map.get("format_version");
    if (!(version instanceof Number n) || n.intValue() != FORMAT_VERSION) {
      throw new IOException(file + ": format_version " + version + ", expected " + FORMAT_VERSION
          + " (written by another Ascribe version: retrain or use a matching version)");
    }
    return ModelRecord.fromMap(map);
  }

  /**
   * Loads epoch {@code epoch} of model {@code model}, checking the file against the hash recorded
   * in model.json.
   */
  public Model load(int model, int epoch, NDManager manager) throws IOException {
    ModelRecord record = readDescription(model);
    if (record == null) {
      throw new NoSuchFileException(modelDir(model).file(DESCRIPTION), null,
          "model " + model + " was never completely trained here: run 'train' with --out pointing at"
              + " this run folder, or set models.dir to a folder holding trained models");
    }
    Folder dir = modelDir(model);
    String file = dir.file(paramsName(epoch));
    String expected = record.epochHashes().get(epoch);
    if (expected == null || !dir.exists(paramsName(epoch))) {
      throw new NoSuchFileException(file, null,
          "model " + model + " has no saved epoch " + epoch + "; saved epochs: "
              + record.epochHashes().keySet());
    }
    // Read once: the bytes hashed are the bytes loaded.
    byte[] bytes;
    try (InputStream in = dir.open(paramsName(epoch))) {
      bytes = in.readAllBytes();
    }
    String actual = Hashes.sha256(bytes);
    if (!actual.equals(expected)) {
      throw new IOException(file + ": SHA-256 " + actual + " differs from " + expected
          + " recorded in model.json: the file was changed or corrupted; retrain the model");
    }
    Model net = record.spec().open(manager, DataType.FLOAT32);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      net.load(in);
      return net;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /**
   * What model.json holds.
   *
   * @param spec the model (written under the key {@code architecture})
   * @param seed the model's own seed (initialization, shuffling and dropout derive from it)
   * @param training the training options, as a map
   * @param trainData a description of the training rows
   * @param epochHashes saved epoch to SHA-256 of its file
   * @param metrics final metrics such as test accuracy
   */
  public record ModelRecord(ModelSpec spec, long seed, Map<String, Object> training,
      String trainData, Map<Integer, String> epochHashes, Map<String, Object> metrics) {

    /** The last saved epoch. */
    public int finalEpoch() {
      return epochHashes.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format_version", FORMAT_VERSION);
      m.put("architecture", spec.toMap());
      m.put("seed", Long.toString(seed));
      m.put("training", training);
      m.put("train_data", trainData);
      Map<String, String> hashes = new TreeMap<>();
      epochHashes.forEach((e, h) -> hashes.put(Integer.toString(e), h));
      m.put("epochs", hashes);
      m.put("metrics", metrics);
      return m;
    }

    @SuppressWarnings("unchecked")
    static ModelRecord fromMap(Map<String, Object> m) {
      Map<Integer, String> hashes = new TreeMap<>();
      ((Map<String, String>) m.get("epochs")).forEach((e, h) -> hashes.put(Integer.valueOf(e), h));
      return new ModelRecord(ModelKind.fromMap((Map<String, ?>) m.get("architecture")),
          Long.parseLong((String) m.get("seed")), (Map<String, Object>) m.get("training"),
          (String) m.get("train_data"), hashes, (Map<String, Object>) m.get("metrics"));
    }
  }
}
