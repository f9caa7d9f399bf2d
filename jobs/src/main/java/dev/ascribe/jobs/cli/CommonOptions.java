package dev.ascribe.jobs.cli;

import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.jobs.pipeline.RunLock;
import dev.ascribe.jobs.progress.SparkProgress;
import dev.ascribe.udf.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command shares (DESIGN.md's command line contract), and the Spark session
 * the commands run in (reporting the progress of long stages unless {@code --quiet}). {@code
 * --master} and {@code --quiet} are declared on {@link Main} and inherited by every subcommand,
 * so that they are accepted before and after the command name.
 */
public final class CommonOptions {
  /** The master used when neither --master nor spark-submit names one. */
  public static final String EMBEDDED = "local[*]";

  /** The command this mixin belongs to; its root holds --master. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "Setting file (HOCON), e.g. conf/mnist-lr.conf; relative to the project root"
          + " if not found from the working directory.")
  Path conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one option (repeatable), e.g. --set projection.dim=2048.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "Run folder for outputs: a local"
      + " folder or file: URI; attribute also takes any Hadoop file system URI (hdfs://...).")
  String out;

  @Option(names = "--wait", description = "If another run holds the --out folder, wait for it"
      + " to finish (at most --wait-timeout) instead of stopping at once with exit status 3.")
  boolean waitForLock;

  @Option(names = "--wait-timeout", paramLabel = "SECONDS", description = "With --wait: the"
      + " longest wait for the run lock, then exit status 3 (default: ${DEFAULT-VALUE}).")
  long waitTimeout = 3600;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data root (default: $ASCRIBE_DATA_DIR, then ../shared/data, then data/).")
  String data;

  /**
   * The Spark master given with {@code --master} (before or after the command), if any.
   *
   * @throws IllegalArgumentException if it is blank
   */
  public Optional<String> master() {
    Object root = mixee == null ? null : mixee.root().userObject();
    String given = root instanceof Main main ? main.master : null;
    if (given != null && given.isBlank()) {
      throw new IllegalArgumentException("--master given '" + given + "': expected a Spark master"
          + " URL such as spark://127.0.0.1:7077 or local[4]");
    }
    return Optional.ofNullable(given).map(String::trim);
  }

  /**
   * The master {@link #spark()} runs on: spark-submit's (system property {@code spark.master},
   * which {@link SparkSessions#forMaster} lets win), else {@code --master}, else {@value
   * #EMBEDDED}.
   *
   * @param given the --master value, if any
   * @param submitted the {@code spark.master} system property, or null
   */
  static String effectiveMaster(Optional<String> given, String submitted) {
    if (submitted != null && !submitted.isBlank()) {
      return submitted;
    }
    return given.orElse(EMBEDDED);
  }

  /**
   * The Spark session of this command: on {@code --master} if given or on the master
   * spark-submit configured, else embedded on every core ({@link SparkSessions#local()}).
   */
  public SparkSession spark() {
    Optional<String> given = master();
    String master = effectiveMaster(given, System.getProperty("spark.master"));
    SparkSession spark = master.equals(EMBEDDED)
        ? SparkSessions.local()
        : SparkSessions.forMaster(given.orElse(null));
    if (!quiet()) {
      SparkProgress.attach(spark);
    }
    return spark;
  }

  /** Whether {@code --quiet} was given (before or after the command). */
  public boolean quiet() {
    Object root = mixee == null ? null : mixee.root().userObject();
    return root instanceof Main main && main.quiet;
  }

  /** The configuration: reference defaults, then --conf, then each --set. */
  public JobConfig config() {
    return JobConfig.load(resolveConf(), sets);
  }

  /**
   * The validated setting of this configuration, with the data root resolved and its files checked
   * against its SHA256SUMS ({@link dev.ascribe.core.data.DataChecksums}).
   */
  public Setting setting(JobConfig config) throws java.io.IOException {
    Path root = DataRoot.resolve(Optional.ofNullable(data));
    // A damaged file is named now, whichever records this run reads (cached: hashed once).
    dev.ascribe.core.data.DataChecksums.verify(root);
    Setting setting = Setting.of(config, root, this::spark);
    // Every command with a setting trains or runs models: say once where they run.
    dev.ascribe.core.model.EngineDevice.logOnce();
    return setting;
  }


  /**
   * The --out folder on the local disk, required by commands that write.
   *
   * @throws IllegalArgumentException if --out is missing, empty, or a URI of a Hadoop file system
   */
  public Path out(String command) {
    return OutFolder.local(command, given(command));
  }

  /**
   * The --out folder of {@code command}: on the local disk, or for the commands that take one
   * ({@link OutFolder#URI_COMMANDS}) on any Hadoop file system, with this command's Spark session's
   * Hadoop configuration (the session starts only for such a folder).
   *
   * @throws IllegalArgumentException if --out is missing, empty, or a URI this command does not
   *     take or no Hadoop file system serves
   */
  public Folder outFolder(String command) {
    return OutFolder.of(command, given(command), () -> spark().sparkContext()
        .hadoopConfiguration());
  }

  private String given(String command) {
    if (out == null) {
      throw new IllegalArgumentException(command + " needs --out DIR (the run folder to write)");
    }
    if (out.isBlank()) {
      // Path.of("") is the working directory: an empty value must not become a run folder there.
      throw new IllegalArgumentException("--out given an empty path: expected the run folder to"
          + " write, e.g. --out runs/lr");
    }
    return out;
  }

  /**
   * The --out folder of a command that writes ({@link #outFolder}), created if needed and locked
   * for this run ({@link RunLock}), before any other work: a folder that cannot be made, or that
   * another run holds, is reported at once.
   *
   * @throws IllegalArgumentException if --out is missing or cannot be created or written
   * @throws RunLock.Held if another run holds the folder
   */
  public RunLock lockOut(String command) throws java.io.IOException {
    Folder folder = outFolder(command);
    if (waitTimeout < 0) {
      throw new IllegalArgumentException("--wait-timeout given " + waitTimeout + ": must be >= 0"
          + " seconds");
    }
    OutFolder.create(folder);
    return RunLock.acquire(folder, java.time.Duration.ofSeconds(waitForLock ? waitTimeout : 0));
  }

  private Path resolveConf() {
    if (conf == null || conf.isAbsolute() || conf.toFile().exists()) {
      return conf;
    }
    Path fromRoot = ProjectRoot.find().resolve(conf);
    return fromRoot.toFile().exists() ? fromRoot : conf;
  }
}
