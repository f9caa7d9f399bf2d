package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import java.nio.file.Path;

/**
 * The layout of one run folder (DESIGN.md): {@code models/}, {@code features/}, {@code kernel/},
 * {@code scores/}, {@code eval/metrics.json}; each stage folder has its own {@code _ascribe.json}.
 * The folder is on the local disk, or for {@code attribute} on any Hadoop file system ({@link
 * Folder}); {@link Folder#toString()} of each part is the path Spark reads and writes tables at.
 */
public record RunFolder(Folder root) {
  /** The file of the kernel stage's stored factorization in {@link #kernel(int)}. */
  public static final String KERNEL_FILE = "kernel.bin";

  /** A run folder on the local disk. */
  public RunFolder(Path root) {
    this(new LocalFolder(root));
  }

  public Folder models() {
    return root.folder("models");
  }

  public Folder features() {
    return root.folder("features");
  }

  public Folder trainFeatures() {
    return features().folder("train");
  }

  public Folder queryFeatures() {
    return features().folder("queries");
  }

  public Folder kernel() {
    return root.folder("kernel");
  }

  /** The folder of model {@code model}'s {@value #KERNEL_FILE}. */
  public Folder kernel(int model) {
    return kernel().folder("model=" + model);
  }

  public Folder scores() {
    return root.folder("scores");
  }

  public Folder topK() {
    return scores().folder("topk");
  }

  public Folder fullScores() {
    return scores().folder("full");
  }

  public Folder selfInfluence() {
    return scores().folder("self");
  }

  public Folder eval() {
    return root.folder("eval");
  }

  /** A ground-truth run folder keeps its table here. */
  public Folder groundTruth() {
    return root.folder("groundtruth");
  }

  /** A ground-truth run folder keeps its leave-one-out table here. */
  public Folder looGroundTruth() {
    return root.folder("groundtruth-loo");
  }
}
