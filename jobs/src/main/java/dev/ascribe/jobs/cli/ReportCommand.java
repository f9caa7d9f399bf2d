package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.jobs.report.ReportJob;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ascribe report}: an HTML page of a run, a benchmark suite or a sweep. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Writes --out/report/index.html: the queries with their top proponents and"
        + " opponents as pictures, method, options, λ, metrics, score distribution, per-query"
        + " LDS (with --groundtruth), self-influence outliers; for a benchmark suite LDS against"
        + " seconds; for a sweep its plots. Self-contained: PNGs beside the page, no network.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--groundtruth", paramLabel = "DIR",
      description = "Run folder written by 'groundtruth': adds the per-query LDS histogram.")
  Path groundTruth;

  @Option(names = "--queries", paramLabel = "IDS|N",
      description = "Query ids to show (0,1,2; one id as 7,) or a count of first queries (12);"
          + " default: the first 3.")
  String queries;

  @Override
  public Integer call() throws Exception {
    if (common.conf != null) {
      throw new IllegalArgumentException("report --conf " + common.conf + ": report reads the"
          + " run's options from its _ascribe.json; override one with --set KEY=VALUE");
    }
    Path page = ReportJob.write(new ReportJob.Request(common.out("report"),
        groundTruth == null ? null : groundTruth.toAbsolutePath(), queries, common.sets,
        DataRoot.resolve(Optional.ofNullable(common.data))), common::spark);
    System.out.println("report: " + page);
    return 0;
  }
}
