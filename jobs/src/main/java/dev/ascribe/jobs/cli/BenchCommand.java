package dev.ascribe.jobs.cli;

import picocli.CommandLine.Command;

/** {@code ascribe bench <suite>}: benchmarks that write JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (results as JSON and a table).",
    subcommands = {BenchGradsCommand.class, BenchHvpCommand.class})
public final class BenchCommand {}
