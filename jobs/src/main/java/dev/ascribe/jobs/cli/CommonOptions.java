package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command shares (DESIGN.md's command line contract). */
public final class CommonOptions {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "Setting file (HOCON), e.g. conf/mnist-lr.conf; relative to the project root"
          + " if not found from the working directory.")
  Path conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one option (repeatable), e.g. --set projection.dim=2048.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "Run folder for outputs.")
  Path out;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data root (default: $ASCRIBE_DATA_DIR, then ../shared/data, then data/).")
  String data;

  /** The configuration: reference defaults, then --conf, then each --set. */
  public JobConfig config() {
    return JobConfig.load(resolveConf(), sets);
  }

  /** The validated setting of this configuration, with the data root resolved. */
  public Setting setting(JobConfig config) {
    return Setting.of(config, DataRoot.resolve(Optional.ofNullable(data)), this::spark);
  }

  /** The Spark session of this run (embedded local[*]), started on first use. */
  public SparkSession spark() {
    return SparkSessions.local();
  }

  /** The --out folder, required by commands that write. */
  public Path out(String command) {
    if (out == null) {
      throw new IllegalArgumentException(command + " needs --out DIR (the run folder to write)");
    }
    return out.toAbsolutePath();
  }

  private Path resolveConf() {
    if (conf == null || conf.isAbsolute() || conf.toFile().exists()) {
      return conf;
    }
    Path fromRoot = ProjectRoot.find().resolve(conf);
    return fromRoot.toFile().exists() ? fromRoot : conf;
  }
}
