package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.pipeline.Agreement;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ascribe compare}: do two runs' scores agree within DESIGN.md's tolerance? For checking a
 * rerun, another partitioning, or a cluster run against an embedded one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare --out's scores with --with's: max|Δ| against 1e-5 · max|s|, and top-K"
        + " up to ties. Exit 0 if they agree, 1 if not.")
public final class CompareCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--with", paramLabel = "DIR", required = true,
      description = "The other run folder.")
  Path other;

  @Override
  public Integer call() {
    RunFolder a = new RunFolder(common.out("compare"));
    RunFolder b = new RunFolder(other.toAbsolutePath());
    SparkSession spark = common.spark();
    FullScores fa = Tables.readScoresFull(spark, a.fullScores().toString());
    FullScores fb = Tables.readScoresFull(spark, b.fullScores().toString());
    TopKScores ta = Tables.readScoresTopK(spark, a.topK().toString());
    TopKScores tb = Tables.readScoresTopK(spark, b.topK().toString());
    try {
      Agreement.Report r = Agreement.fullScores(fa, fb);
      Agreement.topK(ta, tb, fa, r.tolerance());
      System.out.printf("scores/full: %d x %d, max|s| = %.6g, max|Δ| = %.3g%s (tolerance %.3g):"
          + " agree%n", fa.exampleIds().length, fa.queryIds().length, r.maxAbs(), r.maxDiff(),
          r.maxDiff() == 0 ? ", bit-identical" : "", r.tolerance());
      System.out.printf("scores/topk: %d rows agree%n", ta.size());
      return 0;
    } catch (Agreement.Disagreement e) {
      System.out.println("disagree: " + e.getMessage());
      return 1;
    }
  }
}
