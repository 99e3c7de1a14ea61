package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class BenchCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void trainStepPrintsOneJsonLineWithTheFigures() {
        Run r = run("bench", "train-step", "--hidden", "16", "--batch", "32", "--layers", "2", "--steps", "40",
                "--chunk", "20", "--warmup", "5", "--threads", "1");
        assertThat(r.code()).isZero();
        String json = lastLine(r.out());
        assertThat(json).startsWith("{\"hidden\":16,\"batch\":32,\"layers\":2,\"threads\":1,").contains("\"ms_per_step\":")
                .contains("\"final_loss\":").contains("\"seconds\":").endsWith("}");
    }

    @Test
    void gemmPrintsGflops() {
        Run r = run("bench", "gemm", "--n", "64", "--threads", "1", "--reps", "2");
        assertThat(r.code()).isZero();
        assertThat(lastLine(r.out())).startsWith("{\"n\":64,\"threads\":1,\"gflops\":");
    }

    @Test
    void invalidFlagsPrintUsageAndExitTwo() {
        Run r = run("bench", "train-step", "--hidden", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--hidden").contains("Usage");
        Run t = run("bench", "train-step", "--threads", "0");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("--threads must be >= 1");
        Run u = run("bench", "no-such-benchmark");
        assertThat(u.code()).isEqualTo(2);
    }

    @Test
    void runtimeFailuresExitOneWithAMessage() {
        Run r = run("bench", "train-step", "--hidden", "-3", "--steps", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("hidden").doesNotContain("\tat ");
    }
}
