package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.udf.io.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run's trained models are: {@code <out>/models}, a local {@code models.dir}, or a
 * {@code models.dir} on any Hadoop file system (hdfs://, s3a://, file://...). Remote models are
 * copied once into the run folder (then hash-checked on load like any other), so the run keeps
 * the models it scored with; they are read on the driver and their parameters go to executors by
 * broadcast. Training into a remote {@code models.dir} is not supported.
 */
public final class ModelDirs {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDirs.class);

  private ModelDirs() {}

  /**
   * The folder of a non-empty {@code models.dir} that names a local path (no URI scheme, or a
   * drive letter); empty for a Hadoop file system URI ({@code file:} included: copied too).
   */
  public static Optional<Path> local(String modelsDir) {
    return Folders.isUri(modelsDir) ? Optional.empty() : Optional.of(Path.of(modelsDir));
  }

  /** The store for option {@code models.dir} (empty: the run's own models folder). */
  public static ModelStore store(String modelsDir, RunFolder run, SparkSession spark, int models)
      throws IOException {
    if (modelsDir.isEmpty()) {
      return new ModelStore(run.models());
    }
    Optional<Path> given = local(modelsDir);
    if (given.isPresent()) {
      return new ModelStore(given.get());
    }
    Folder remote = Folders.of(modelsDir, () -> spark.sparkContext().hadoopConfiguration());
    Folder copies = run.root().folder("models-from-" + URI.create(modelsDir).getScheme());
    for (int i = 0; i < models; i++) {
      Folder model = remote.folder(ModelStore.modelName(i));
      if (!model.exists(ModelStore.DESCRIPTION)) {
        throw new IllegalArgumentException("models.dir " + modelsDir + " has no trained model m"
            + i + " (" + model.file(ModelStore.DESCRIPTION) + "): train the models into a local"
            + " folder with 'ascribe train' and upload that folder, or lower 'models'");
      }
      Folder target = copies.folder(ModelStore.modelName(i));
      if (!target.exists(ModelStore.DESCRIPTION)) {
        // The description last: a copy interrupted before it is copied again.
        for (String name : model.list()) {
          if (!name.equals(ModelStore.DESCRIPTION)) {
            copy(model, target, name);
          }
        }
        copy(model, target, ModelStore.DESCRIPTION);
        LOG.info("models.dir: copied {} to {}", model, target);
      }
    }
    return new ModelStore(copies);
  }

  private static void copy(Folder from, Folder to, String name) throws IOException {
    try (InputStream in = from.open(name)) {
      to.write(name, in::transferTo);
    }
  }
}
