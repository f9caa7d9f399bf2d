package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.AttributeJob;
import dev.ascribe.jobs.pipeline.EvaluateJob;
import dev.ascribe.jobs.pipeline.GroundTruthJob;
import dev.ascribe.jobs.pipeline.RunFolder;
import dev.ascribe.jobs.report.ReportJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ascribe demo}: MNIST-LR, TRAK with 10 models and k = 512, LDS against 50 ground-truth
 * models; prints the LDS and the top 5 proponents of queries 0, 1 and 2, and writes the report
 * page ({@link ReportJob}). Output in out/demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "MNIST-LR, TRAK (10 models, k=512), LDS against 50 retrained models; out/demo,"
        + " and the report page out/demo/report/index.html.")
public final class DemoCommand implements Callable<Integer> {
  /** The demo's own options; --set may still override them. */
  static final List<String> DEMO = List.of("method=trak", "models=10", "projection.dim=512",
      "groundtruth.models=50", "overwrite=true");

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (common.conf == null) {
      common.conf = Path.of("conf/mnist-lr.conf");
    }
    List<String> sets = new ArrayList<>(DEMO);
    sets.addAll(common.sets);
    common.sets = sets;
    JobConfig config = common.config();
    Setting setting = common.setting(config);
    RunFolder run = new RunFolder(common.out == null
        ? ProjectRoot.find().resolve("out/demo") : common.out("demo"));
    SparkSession spark = common.spark();
    System.out.printf("demo: %s, TRAK with %d models, k = %d, LDS against %d retrained models%n",
        setting.name(), setting.models(), config.getInt("projection.dim"),
        config.getInt("groundtruth.models"));
    AttributeJob.Result result = AttributeJob.run(config, setting, run, spark);
    GroundTruthJob.run(config, setting, run, spark);
    Map<String, Object> metrics = EvaluateJob.run(config, run, run, spark);
    Report.printLds(metrics);
    Report.printTopProponents(result, 3, 5);
    System.out.println("seconds: " + metrics.get("seconds"));
    System.out.println("outputs in " + run.root());
    // The demo's ground truth is in its own run folder: the page gets the per-query LDS too.
    System.out.println("report: " + ReportJob.write(new ReportJob.Request(run.root().local(),
        run.root().local(), null, List.of(), setting.dataRoot()), () -> spark));
    return 0;
  }
}
