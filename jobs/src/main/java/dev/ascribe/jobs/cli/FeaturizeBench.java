package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.feature.FeatureMapOptions;
import dev.ascribe.core.feature.FeatureMaps;
import dev.ascribe.core.feature.Featurizer;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.jobs.config.JobConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Featurization throughput for {@code bench grads}: for every projection kind and dimension k, the
 * whole path a featurize task runs (forward, backward, gradients or taps, projection, copy out) on
 * one thread, through the same feature-map factory the methods use, in examples per second. The
 * first batch (which generates what the projection caches) is reported apart, then a tenth of the
 * time budget warms the JIT up untimed; a row stops after
 * {@code bench.grads.examples} examples or {@code bench.grads.seconds} seconds, whichever is first,
 * so a slow dense row at a large k still ends.
 */
final class FeaturizeBench {
  private FeaturizeBench() {}

  static List<Map<String, Object>> run(Checkpoint checkpoint, Dataset train, JobConfig config) {
    List<Map<String, Object>> rows = new ArrayList<>();
    int batch = config.getInt("batch");
    int examples = config.getInt("bench.grads.examples");
    double budget = config.getDouble("bench.grads.seconds");
    for (String name : config.getStringList("bench.grads.kinds")) {
      ProjectionKind kind;
      try {
        kind = ProjectionKind.fromName(name);
      } catch (IllegalArgumentException e) {
        throw config.invalid("bench.grads.kinds", e.getMessage());
      }
      for (int k : config.getIntList("bench.grads.dims")) {
        if (k < 1) {
          throw config.invalid("bench.grads.dims", "every dimension must be >= 1");
        }
        ProjectionOptions projection = ProjectionOptions.builder().setDim(k).optKind(kind)
            .optSeed(config.getLong("projection.seed")).optCacheBytes(1L << 30).build();
        FeatureMapOptions map = FeatureMapOptions.builder().optProjection(projection).build();
        try (Featurizer featurizer = new Featurizer(0, checkpoint,
            FeatureMaps.create(map, checkpoint.spec(), 0), batch)) {
          rows.addAll(time(featurizer, train, batch, examples, budget,
              "featurize " + kind.optionName() + " k=" + k));
        }
      }
    }
    return rows;
  }

  private static List<Map<String, Object>> time(Featurizer featurizer, Dataset train, int batch,
      int examples, double budget, String name) {
    int[] first = Inputs.range(0, Math.min(batch, train.size()));
    BenchGradsCommand.Timer setup = new BenchGradsCommand.Timer();
    setup.start();
    featurizer.featurize(train, first, ModelOutputs.crossEntropy(), 1f);
    setup.stop(first.length);
    // Untimed warm-up (a tenth of the budget) so the JIT has compiled the loops being timed.
    long warm = System.nanoTime() + (long) (budget * 1e8);
    for (int from = 0; System.nanoTime() < warm; from = (from + batch) % train.size()) {
      featurizer.featurize(train, Inputs.range(from, Math.min(train.size(), from + batch)),
          ModelOutputs.crossEntropy(), 1f);
    }
    BenchGradsCommand.Timer timer = new BenchGradsCommand.Timer();
    int done = 0;
    Map<Featurizer.Phase, Double> before = featurizer.phaseSeconds();
    long deadline = System.nanoTime() + (long) (budget * 1e9);
    timer.start();
    while (done < examples && System.nanoTime() < deadline) {
      int from = done % train.size();
      int[] rows = Inputs.range(from, Math.min(train.size(), from + batch));
      featurizer.featurize(train, rows, ModelOutputs.crossEntropy(), 1f);
      done += rows.length;
    }
    timer.stop(done);
    Map<String, Object> firstRow = setup.row(name + " first batch");
    firstRow.put("note", "includes generating what the projection caches");
    Map<String, Object> row = timer.row(name);
    // Where the timed examples' time went, as a share of the row's seconds.
    Map<String, Object> shares = new LinkedHashMap<>();
    double seconds = (double) row.get("seconds");
    featurizer.phaseSeconds().forEach((phase, s) -> shares.put(
        phase.name().toLowerCase(Locale.ROOT), (s - before.get(phase)) / seconds));
    row.put("phase_shares", shares);
    return List.of(firstRow, row);
  }
}
