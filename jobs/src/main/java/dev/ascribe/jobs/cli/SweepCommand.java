package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.pipeline.RunLock;
import dev.ascribe.jobs.pipeline.SweepJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ascribe sweep}: LDS over λ and one more hyperparameter, with tables and plots. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "LDS over a grid of λ (default 10^-3..10^3 x the mean eigenvalue, half decades)"
        + " and optionally one of projection.dim, epoch, models.count, plus every λ rule's LDS;"
        + " writes --out/sweep/{results.md,results.json,points.csv,*.png}.")
public final class SweepCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--groundtruth", paramLabel = "DIR", required = true,
      description = "Run folder written by 'groundtruth'.")
  Path groundTruth;

  @Option(names = "--over", paramLabel = "KEY=V1,V2,...",
      description = "A hyperparameter and its values (repeatable, at most two): lambda"
          + " (multiples of the mean eigenvalue), projection.dim, epoch or models.count.")
  List<String> over = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    JobConfig config = common.config();
    SweepJob.Grid grid = SweepJob.Grid.parse(over);
    try (RunLock lock = common.lockOut("sweep")) {
      RunFolder run = new RunFolder(common.out("sweep"));
      SweepJob.run(config, common.setting(config), run, new RunFolder(groundTruth.toAbsolutePath()),
          common.spark(), grid);
      Path md = run.root().local().resolve("sweep/results.md");
      System.out.print(Files.readString(md));
      System.out.println("wrote " + md.getParent());
      return 0;
    }
  }
}
