package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.ModelStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run's trained models are: {@code <out>/models}, a local {@code models.dir}, or a
 * {@code models.dir} on any Hadoop file system (hdfs://, s3a://, file://...). Remote models are
 * copied once to a local folder of the run (then hash-checked on load like any other) and their
 * parameters go to executors by broadcast; training into a remote folder is not supported.
 */
public final class ModelDirs {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDirs.class);

  private ModelDirs() {}

  /**
   * The folder of a non-empty {@code models.dir} that names a local path (no URI scheme, or a
   * drive letter); empty for a Hadoop file system URI.
   */
  public static Optional<Path> local(String modelsDir) {
    URI uri = URI.create(modelsDir);
    return uri.getScheme() == null || uri.getScheme().length() == 1
        ? Optional.of(Path.of(modelsDir)) : Optional.empty();
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
    URI uri = URI.create(modelsDir);
    Path local = run.root().resolve("models-from-" + uri.getScheme());
    FileSystem fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
    for (int i = 0; i < models; i++) {
      org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(remote, "m" + i);
      if (!fs.exists(new org.apache.hadoop.fs.Path(model, "model.json"))) {
        throw new IllegalArgumentException("models.dir " + modelsDir + " has no trained model m"
            + i + " (" + model + "/model.json): train the models into a local folder with"
            + " 'ascribe train' and upload that folder, or lower 'models'");
      }
      Path target = local.resolve("m" + i);
      if (!Files.exists(target.resolve("model.json"))) {
        Files.createDirectories(local);
        fs.copyToLocalFile(false, model, new org.apache.hadoop.fs.Path(target.toUri()), true);
        LOG.info("models.dir: copied {} to {}", model, target);
      }
    }
    return new ModelStore(local);
  }
}
