package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class FlowCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    record Run(int code, String out, String err) {
        String last() {
            String[] l = out.strip().split("\n");
            return l[l.length - 1];
        }
    }

    static Run run(String... args) {
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

    @BeforeAll
    static void trainSmallModel() {
        model = dir.resolve("m");
        Run r = run("train", "--data", "8gaussians", "--out", model.toString(), "--steps", "600", "--hidden", "32",
                "--threads", "1", "--seed", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.last()).startsWith("{\"command\":\"train\"").contains("\"final_loss\":").contains("\"seconds\":");
    }

    @Test
    void trainWritesTheModelDirectory() throws IOException {
        assertThat(model.resolve("model.safetensors")).isRegularFile();
        assertThat(Files.readString(model.resolve("config.json"))).contains("\"path\": \"condot\"").contains("\"dim\": 2");
        List<String> log = Files.readAllLines(model.resolve("train-log.csv"));
        assertThat(log.get(0)).isEqualTo("step,loss,seconds");
        assertThat(log).hasSize(601);
    }

    @Test
    void sampleAndLogprobRoundTrip() throws IOException {
        Path s = dir.resolve("s.csv");
        Run r = run("sample", "--model", model.toString(), "--n", "300", "--out", s.toString(), "--solver", "rk4", "--steps", "20",
                "--trajectories", dir.resolve("tr.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.last()).contains("\"nfe\":80");
        List<String> lines = Files.readAllLines(s);
        assertThat(lines.get(0)).isEqualTo("x0,x1");
        assertThat(lines).hasSize(301);
        assertThat(Files.readAllLines(dir.resolve("tr.csv")).get(0)).isEqualTo("sample,t,x0,x1");

        Path lp = dir.resolve("lp.csv");
        Run l = run("logprob", "--model", model.toString(), "--input", s.toString(), "--out", lp.toString());
        assertThat(l.code()).as(l.err()).isZero();
        assertThat(l.last()).contains("\"mean_logprob\":").contains("\"nfe\":");
        List<String> vals = Files.readAllLines(lp);
        assertThat(vals.get(0)).isEqualTo("logprob");
        assertThat(vals).hasSize(301);
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,oops\n");
        Run r = run("logprob", "--model", model.toString(), "--input", bad.toString(), "--out", dir.resolve("x.csv").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.csv").contains("line 3").contains("column 2");
        assertThat(dir.resolve("x.csv")).doesNotExist();

        Path three = dir.resolve("three.csv");
        Files.writeString(three, "a,b,c\n1,2,3\n4,5,6\n");
        Run d = run("logprob", "--model", model.toString(), "--input", three.toString(), "--out", dir.resolve("y.csv").toString());
        assertThat(d.code()).isEqualTo(1);
        assertThat(d.err()).contains("3 columns").contains("dimension 2");

        Run s = run("sample", "--model", model.toString(), "--n", "5", "--out", dir.resolve("z.csv").toString(), "--solver", "leapfrog");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("euler").contains("dopri5");

        Run p = run("train", "--data", "moons", "--out", dir.resolve("q").toString(), "--path", "straight");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err()).contains("condot").contains("linear-vp");

        Run e = run("train", "--data", "moons", "--out", model.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("--force");
    }
}
