package org.flowmatch4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/**
 * Runs the CLI in-process through {@link Main#commandLine()}, capturing stdout, picocli's error writer and
 * System.err (progress output).
 *
 * @param code   exit code
 * @param out    stdout
 * @param err    picocli's error stream plus System.err
 */
record CliRun(int code, String out, String err) {
    /** The last stdout line (the command's JSON summary). */
    String last() {
        String[] l = out.strip().split("\n");
        return l[l.length - 1];
    }

    static CliRun of(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBuf, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new CliRun(code, buf.toString(StandardCharsets.UTF_8), err + errBuf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
