package dev.ascribe.jobs.cli;

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

  /** Runs the command line and returns its exit status (0 success, 1 failure, 2 usage error). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable input = inputError(e);
      if (input != null) {
        commandLine.getErr().println("error: " + input.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
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

  /** Prints the Ascribe version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ascribe " + dev.ascribe.core.provenance.Versions.ascribeVersion()};
    }
  }
}
