package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** --master before and after the command, and which master a command's session uses (no Spark). */
class MasterOptionTest {
  private static final String CLUSTER = "spark://127.0.0.1:7077";

  /** Parses the arguments and returns the options of the (innermost) subcommand. */
  private static CommonOptions parse(String... args) {
    ParseResult result = new CommandLine(new Main()).parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    // Every command mixes CommonOptions in as the field "common".
    return (CommonOptions) result.commandSpec().mixins().get("common").userObject();
  }

  @Test
  void masterBeforeTheCommand() {
    CommonOptions common = parse("--master", CLUSTER, "attribute", "--conf", "conf/mnist-lr.conf");
    assertEquals(Optional.of(CLUSTER), common.master());
    assertEquals("conf/mnist-lr.conf", common.conf.toString());
  }

  @Test
  void masterAfterTheCommandInEitherPosition() {
    assertEquals(Optional.of(CLUSTER),
        parse("groundtruth", "--master", CLUSTER, "--out", "x").master());
    assertEquals(Optional.of(CLUSTER),
        parse("groundtruth", "--out", "x", "--master=" + CLUSTER).master());
    assertEquals(Optional.of("local[2]"),
        parse("evaluate", "--groundtruth", "g", "--master", "local[2]").master());
    assertEquals(Optional.of("local[2]"), parse("demo", "--master", "local[2]").master());
  }

  @Test
  void quietBeforeOrAfterTheCommandTurnsProgressOff() {
    assertTrue(parse("--quiet", "attribute", "--out", "x").quiet());
    assertTrue(parse("demo", "--quiet").quiet());
    assertTrue(parse("report", "--out", "x", "--quiet").quiet());
    assertFalse(parse("groundtruth", "--out", "x").quiet());
  }

  @Test
  void noMasterMeansEmbedded() {
    CommonOptions common = parse("attribute", "--out", "x");
    assertEquals(Optional.empty(), common.master());
    assertEquals("local[*]", CommonOptions.effectiveMaster(common.master(), null));
  }

  @Test
  void sparkSubmitsMasterWinsOverTheCommandLine() {
    assertEquals("yarn", CommonOptions.effectiveMaster(Optional.of(CLUSTER), "yarn"));
    assertEquals(CLUSTER, CommonOptions.effectiveMaster(Optional.empty(), CLUSTER));
    assertEquals(CLUSTER, CommonOptions.effectiveMaster(Optional.of(CLUSTER), " "));
  }

  @Test
  void blankMasterIsRefusedWithAMessage() {
    CommonOptions common = parse("attribute", "--master", " ");
    String msg = assertThrows(IllegalArgumentException.class, common::master).getMessage();
    assertEquals("--master given ' ': expected a Spark master URL such as spark://127.0.0.1:7077"
        + " or local[4]", msg);
  }

  @Test
  void missingValueIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("attribute", "--master"));
    assertTrue(err.toString().contains("Missing required parameter for option '--master'"),
        err.toString());
  }

  @Test
  void helpOfEveryCommandShowsMaster() {
    for (String command : new String[] {"attribute", "groundtruth", "evaluate", "demo"}) {
      String usage = new CommandLine(new Main()).getSubcommands().get(command).getUsageMessage();
      assertTrue(usage.contains("--master=URL"), command + " usage lists --master:\n" + usage);
    }
  }
}
