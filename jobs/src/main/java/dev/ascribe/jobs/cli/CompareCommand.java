package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.pipeline.Agreement;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.udf.io.FullScores;
import dev.ascribe.udf.io.ParquetTables;
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
        + " up to ties (runs with top-K only: the selections alone). Exit 0 if they agree, 1 if"
        + " not.")
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
    TopKScores ta = Tables.readScoresTopK(spark, a.topK().toString());
    TopKScores tb = Tables.readScoresTopK(spark, b.topK().toString());
    boolean fullA = ParquetTables.isComplete(spark, a.fullScores().toString());
    boolean fullB = ParquetTables.isComplete(spark, b.fullScores().toString());
    if (fullA != fullB) {
      throw new IllegalArgumentException((fullA ? b : a).fullScores() + ": no full scores,"
          + " while " + (fullA ? a : b).fullScores() + " has them: compare needs both runs"
          + " with full scores (scores.full) or both with top-K only");
    }
    try {
      if (!fullA) {
        // Top-K only: the selections alone, ties judged within them.
        double tol = Agreement.topKTolerance(ta);
        Agreement.topK(ta, tb, null, tol);
        System.out.printf("scores/topk: %d rows agree (tolerance %.3g; no full scores in"
            + " either run)%n", ta.size(), tol);
        return 0;
      }
      FullScores fa = Tables.readScoresFull(spark, a.fullScores().toString());
      FullScores fb = Tables.readScoresFull(spark, b.fullScores().toString());
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
