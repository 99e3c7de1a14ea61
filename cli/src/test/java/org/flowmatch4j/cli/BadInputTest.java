package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flowmatch4j.cli.FlowCommandsTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input files through the command line: each is a runtime failure (exit 1) with one message on stderr
 * naming the file and the problem, no stack trace, and no output directory left behind.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private Run trainOn(Path data) {
        return FlowCommandsTest.run("train", "--data", data.toString(), "--out", tmp.resolve("out").toString(), "--steps", "5", "--threads", "1");
    }

    private void assertFailsNaming(Run r, Path file, String problem) {
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("flowmatch: error: ").contains(file.toString()).contains(problem).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void missingEmptyTooShortAndHeaderOnlyDataFilesAreNamed() throws IOException {
        Path missing = tmp.resolve("missing.csv");
        assertFailsNaming(trainOn(missing), missing, "file not found");

        Path dir = Files.createDirectory(tmp.resolve("adir.csv"));
        assertFailsNaming(trainOn(dir), dir, "is a directory");

        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        assertFailsNaming(trainOn(empty), empty, "the file is empty");

        Path headerOnly = Files.writeString(tmp.resolve("header.csv"), "x,y\n");
        assertFailsNaming(trainOn(headerOnly), headerOnly, "has a header (x,y) but no data rows");

        Path oneRow = Files.writeString(tmp.resolve("one.csv"), "x,y\n1.5,2\n");
        assertFailsNaming(trainOn(oneRow), oneRow, "has 1 data row; at least 2");
    }

    @Test
    void aModelDirectoryFromAFutureFormatIsRefusedForSamplingAndLogprob() throws IOException {
        Path model = tmp.resolve("m");
        Run r = FlowCommandsTest.run("train", "--data", "moons", "--out", model.toString(), "--steps", "5", "--hidden", "8", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        Path cfg = model.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"format_version\": 1", "\"format_version\": 99"));
        Run s = FlowCommandsTest.run("sample", "--model", model.toString(), "--n", "10", "--out", tmp.resolve("s.csv").toString());
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err()).contains(cfg.toString()).contains("format version 99").contains("upgrade").doesNotContain("\tat ");
        assertThat(tmp.resolve("s.csv")).doesNotExist();
        Path in = Files.writeString(tmp.resolve("in.csv"), "x0,x1\n0,0\n1,1\n");
        Run l = FlowCommandsTest.run("logprob", "--model", model.toString(), "--input", in.toString(), "--out", tmp.resolve("l.csv").toString());
        assertThat(l.code()).isEqualTo(1);
        assertThat(l.err()).contains("format version 99");
    }

    @Test
    void threadCountsBelowOneAreUsageErrorsInEveryCommand() throws IOException {
        Path model = tmp.resolve("t");
        assertThat(FlowCommandsTest.run("train", "--data", "moons", "--out", model.toString(), "--steps", "5", "--hidden", "8",
                "--threads", "1").code()).isZero();
        Path in = Files.writeString(tmp.resolve("pts.csv"), "x0,x1\n0,0\n1,1\n");
        String[][] commands = {
            {"train", "--data", "moons", "--out", tmp.resolve("t2").toString(), "--steps", "5"},
            {"sample", "--model", model.toString(), "--n", "10", "--out", tmp.resolve("s.csv").toString()},
            {"logprob", "--model", model.toString(), "--input", in.toString(), "--out", tmp.resolve("l.csv").toString()},
            {"eval", "--model", model.toString(), "--data", "moons", "--n", "50"},
            {"report", "--model", model.toString(), "--out", tmp.resolve("r.html").toString()},
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 2);
            args[c.length] = "--threads";
            args[c.length + 1] = "0";
            Run r = FlowCommandsTest.run(args);
            assertThat(r.code()).as(c[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--threads must be >= 1, got 0");
        }
        assertThat(tmp.resolve("s.csv")).doesNotExist();
        assertThat(tmp.resolve("l.csv")).doesNotExist();
        assertThat(tmp.resolve("r.html")).doesNotExist();
    }
}
