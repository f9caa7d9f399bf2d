package dev.ascribe.jobs.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.project.Projector;
import dev.ascribe.jobs.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Projection throughput for {@code bench grads}: for each dimension k, the one-off cost of
 * generating the matrix (once per partition in a job) and the cost of projecting gradients that are
 * already computed, in examples per second.
 */
final class ProjectionBench {
  private ProjectionBench() {}

  static List<Map<String, Object>> run(Model net, Dataset train, int batch, int examples,
      JobConfig config) {
    List<Map<String, Object>> rows = new ArrayList<>();
    int d = net.spec().numParameters();
    for (int k : config.getIntList("bench.grads.dims")) {
      if (k < 1) {
        throw config.invalid("bench.grads.dims", "every dimension must be >= 1");
      }
      Projection projection =
          Projection.of(ProjectionOptions.builder().setDim(k).optSeed(config.getLong(
              "projection.seed")).optCacheBytes(2L << 30).build(), d);
      try (NDManager scope = net.manager().newSubManager();
          Projector projector = projection.open(scope)) {
        int[] rows0 = Inputs.range(0, Math.min(batch, train.size()));
        NDArray grads = PerExampleGradients.compute(net, Inputs.features(train, rows0, scope),
            train.labels(rows0), ModelOutputs.margin());
        BenchGradsCommand.Timer generation = new BenchGradsCommand.Timer();
        generation.start();
        projector.project(grads).toFloatArray();
        generation.stop(rows0.length);
        Map<String, Object> gen = generation.row("projection k=" + k + " first batch");
        gen.put("note", "includes generating the " + d + " x " + k + " matrix");
        rows.add(gen);
        BenchGradsCommand.Timer timer = new BenchGradsCommand.Timer();
        int passes = (examples + rows0.length - 1) / rows0.length;
        timer.start();
        for (int pass = 0; pass < passes; pass++) {
          projector.project(grads).toFloatArray();
        }
        timer.stop(passes * rows0.length);
        rows.add(timer.row("projection k=" + k));
      }
    }
    return rows;
  }
}
