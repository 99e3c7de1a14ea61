package org.flowmatch4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flowmatch} command line. Exit codes: 0 success, 2 usage error, 1 runtime failure. Every
 * command prints, as its last stdout line, one JSON object with its figures.
 */
@Command(name = "flowmatch", mixinStandardHelpOptions = true, version = "flowmatch4j 0.1.0",
        description = "Flow Matching and its lineage on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, SampleCommand.class, LogprobCommand.class, EvalCommand.class, ReportCommand.class,
            CompareCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Builds the configured command line (shared by {@link #main} and the tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new RuntimeFailureHandler());
        return cl;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
