package dev.ascribe.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ascribe} command line. */
@Command(name = "ascribe", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Training-data attribution: which training examples made the model predict this?",
    subcommands = {TrainCommand.class, AttributeCommand.class, GroundTruthCommand.class,
        EvaluateCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main {
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
   * The bad-input error behind a failure, if any: a bad option, a malformed or missing file, also
   * when it was raised inside a Spark task and arrives wrapped in Spark's job failure.
   */
  static Throwable inputError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof java.io.IOException) {
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
