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
      if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  /** Prints the Ascribe version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ascribe " + dev.ascribe.core.provenance.Versions.ascribeVersion()};
    }
  }
}
