package dev.ascribe.jobs.cli;

import dev.ascribe.jobs.pipeline.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code ascribe} command line. */
@Command(name = "ascribe", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Training-data attribution: which training examples made the model predict this?",
    subcommands = {TrainCommand.class, AttributeCommand.class, GroundTruthCommand.class,
        EvaluateCommand.class, DemoCommand.class, CompareCommand.class, BenchCommand.class,
        NoisyLabelsCommand.class, SelectLambdaCommand.class, SweepCommand.class,
        ReportCommand.class, SynthCommand.class})
public final class Main {
  /**
   * The Spark master, accepted before the command and after it ({@code INHERIT}: picocli copies
   * the option to every subcommand and sets this field wherever it is given). Read through {@link
   * CommonOptions#master()}.
   */
  @Option(names = "--master", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "Spark master for the commands that use Spark, e.g. spark://127.0.0.1:7077"
          + " (default: embedded local[*], or the master spark-submit was given).")
  String master;

  /** {@code --quiet}, accepted before and after the command like {@link #master}. */
  @Option(names = "--quiet", scope = ScopeType.INHERIT,
      description = "No progress lines for long stages (featurize, score, ground truth) on stderr.")
  boolean quiet;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The system property bin/ascribe sets to the run's full log file (conf/log4j2.properties). */
  public static final String LOG_FILE = "ascribe.log.file";

  /**
   * Stack traces of failed commands: a logger outside {@code dev.ascribe}, so that they reach the
   * full log but not the console (conf/log4j2.properties).
   */
  private static final org.slf4j.Logger FAILURES = org.slf4j.LoggerFactory.getLogger(
      "ascribe.failures");

  /** Exit status: the command failed (a bug or an environment fault; the log has details). */
  public static final int FAILED = 1;
  /** Exit status: bad input (option, file, table, data) or a usage error; nothing was completed. */
  public static final int BAD_INPUT = 2;
  /** Exit status: another run holds the --out folder's lock ({@link RunLock}). */
  public static final int LOCKED = 3;

  /**
   * Runs the command line and returns its exit status: 0 done, {@value #FAILED}
   * failure, {@value #BAD_INPUT} bad input or usage, {@value #LOCKED} the run folder is in use.
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) ->
        report(e, commandLine.getErr(), System.getProperty(LOG_FILE)));
    return cli.execute(args);
  }

  /**
   * Prints a failed command's {@code error:} line (and, for a failure from deep inside a job such
   * as a Spark task, where the full log with the stack traces is) and returns its exit status. The
   * stack trace goes to the log, never to the console.
   *
   * @param logFile the run's full log (system property {@value #LOG_FILE}), or null
   */
  static int report(Exception e, java.io.PrintWriter err, String logFile) {
    FAILURES.error("command failed", e);
    String where = logFile == null ? "" : "full log: " + logFile;
    Throwable held = find(e, RunLock.Held.class);
    if (held != null) {
      err.println("error: " + held.getMessage());
      return LOCKED;
    }
    Throwable input = inputError(e);
    if (input != null) {
      err.println("error: " + input.getMessage());
      if (input != e && !where.isEmpty()) {
        err.println(where);
      }
      return BAD_INPUT;
    }
    err.println("error: " + e + (e.getCause() == null ? "" : " (caused by " + rootCause(e) + ")"));
    if (!where.isEmpty()) {
      err.println(where);
    }
    return FAILED;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The bad-input error behind a failure, if any: a bad option, a malformed or missing file, a
   * solver that diverged with the options given, also
   * when it was raised inside a Spark task and arrives wrapped in Spark's job failure.
   */
  static Throwable inputError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // A diverged solver is fixed by changing options, like a bad option.
      if (t instanceof IllegalArgumentException || t instanceof java.io.IOException
          || t instanceof dev.ascribe.core.ihvp.SolverDivergedException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The first {@code type} in the cause chain of {@code e}, or null. */
  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /** Prints the Ascribe version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ascribe " + dev.ascribe.core.provenance.Versions.ascribeVersion()};
    }
  }
}
