package dev.ascribe.jobs.pipeline;

import java.nio.file.Path;

/**
 * The layout of one run folder (DESIGN.md): {@code models/}, {@code features/}, {@code kernel/},
 * {@code scores/}, {@code eval/metrics.json}; each stage folder has its own {@code _ascribe.json}.
 */
public record RunFolder(Path root) {
  public Path models() {
    return root.resolve("models");
  }

  public Path features() {
    return root.resolve("features");
  }

  public Path trainFeatures() {
    return features().resolve("train");
  }

  public Path queryFeatures() {
    return features().resolve("queries");
  }

  public Path kernel() {
    return root.resolve("kernel");
  }

  public Path kernelFile(int model) {
    return kernel().resolve("model=" + model).resolve("kernel.bin");
  }

  public Path scores() {
    return root.resolve("scores");
  }

  public Path topK() {
    return scores().resolve("topk");
  }

  public Path fullScores() {
    return scores().resolve("full");
  }

  public Path selfInfluence() {
    return scores().resolve("self");
  }

  public Path eval() {
    return root.resolve("eval");
  }

  /** A ground-truth run folder keeps its table here. */
  public Path groundTruth() {
    return root.resolve("groundtruth");
  }

  /** A ground-truth run folder keeps its leave-one-out table here. */
  public Path looGroundTruth() {
    return root.resolve("groundtruth-loo");
  }
}
