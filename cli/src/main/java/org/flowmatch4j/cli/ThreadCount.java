package org.flowmatch4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The worker-thread count of a command's {@code --threads}: the given value, or the available processors. */
final class ThreadCount {
    private ThreadCount() {
    }

    /**
     * @return {@code threads}, or {@link Runtime#availableProcessors()} when it was not given
     * @throws ParameterException (a usage error) when it is below 1
     */
    static int resolve(CommandSpec spec, Integer threads) {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + t);
        }
        return t;
    }
}
