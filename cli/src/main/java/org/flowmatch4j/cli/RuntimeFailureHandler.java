package org.flowmatch4j.cli;

import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into a one-line message on stderr and exit code 1 (usage errors
 * keep picocli's exit code 2); the stack trace is printed only with {@code --verbose} or {@code FLOWMATCH_VERBOSE=1}.
 */
final class RuntimeFailureHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("flowmatch: error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (verbose(parsed)) {
            ex.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("FLOWMATCH_VERBOSE"))) {
            return true;
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
