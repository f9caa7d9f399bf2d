package dev.ascribe.jobs.cli;

import dev.ascribe.core.score.TopK;
import dev.ascribe.jobs.pipeline.AttributeJob;
import java.util.List;
import java.util.Map;

/** What the commands print for a person. */
final class Report {
  private Report() {}

  /** The top proponents (ids, labels, scores) of the first {@code queries} queries. */
  static void printTopProponents(AttributeJob.Result result, int queries, int k) {
    for (int q = 0; q < Math.min(queries, result.queries().size()); q++) {
      System.out.printf("query %d (label %d): top %d proponents%n", result.queries().id(q),
          result.queries().label(q), k);
      List<TopK.Entry> top = result.top()[q][0].sorted();
      for (int r = 0; r < Math.min(k, top.size()); r++) {
        TopK.Entry e = top.get(r);
        System.out.printf("  %d. train %-6d label %d  score %.4g%n", r + 1, e.exampleId(),
            result.labels().get(e.exampleId()), e.score());
      }
    }
  }

  /** The LDS and the LOO correlation, whichever {@code metrics} holds. */
  static void printMetrics(Map<String, Object> metrics) {
    if (metrics.containsKey("lds")) {
      printLds(metrics);
    }
    if (metrics.get("loo") instanceof Map<?, ?> loo) {
      System.out.printf("LOO (%s, %s target): %.4f ± %.4f over %s queries and %s removed"
          + " examples%n", metrics.get("method"), metrics.get("target"), loo.get("mean"),
          loo.get("stderr"), loo.get("queries"), loo.get("removed"));
    }
  }

  static void printLds(Map<String, Object> metrics) {
    Map<?, ?> lds = (Map<?, ?>) metrics.get("lds");
    System.out.printf("LDS (%s, %s target): %.4f ± %.4f over %s queries and %s ground-truth"
        + " models%n", metrics.get("method"), metrics.get("target"), lds.get("mean"),
        lds.get("stderr"), lds.get("queries"), lds.get("models"));
  }
}
