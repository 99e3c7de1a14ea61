package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flowmatch4j.cli.FlowCommandsTest.Run;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainSmallModel() {
        model = dir.resolve("m");
        Run r = FlowCommandsTest.run("train", "--data", "8gaussians", "--out", model.toString(), "--steps", "600", "--hidden", "32",
                "--threads", "1", "--seed", "3");
        assertThat(r.code()).as(r.err()).isZero();
    }

    static JsonObject json(Run r) {
        return Json.parseObject(r.last(), "eval output");
    }

    @Test
    void evaluatesAgainstFreshBuiltInDataAndAgainstACsv() throws IOException {
        Run r = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", "8gaussians", "--n", "400", "--solver", "rk4",
                "--steps", "10", "--threads", "1", "--seed", "5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject o = json(r).requireOnlyKeys("command", "model", "data", "n", "held_out", "w1", "w2", "w2_estimator", "mmd",
                "mmd_bandwidth", "test_nll", "bits_per_dim", "nfe", "nfe_logprob", "straightness", "seconds");
        assertThat(o.string("command")).isEqualTo("eval");
        assertThat(o.integer("n")).isEqualTo(400);
        assertThat(o.integer("held_out")).isEqualTo(400);
        assertThat(o.string("w2_estimator")).isEqualTo("exact");
        assertThat(o.integer("nfe")).isEqualTo(40);
        assertThat(o.integer("nfe_logprob")).isEqualTo(40);
        // 600 steps on 8 Gaussians (radius 2): samples land near the modes; N(0, I) itself would be at W2 ≈ 1.3
        assertThat(o.number("w2")).isPositive().isLessThan(1.0);
        assertThat(o.number("w1")).isPositive().isLessThanOrEqualTo(o.number("w2"));
        assertThat(o.number("mmd")).isPositive();
        assertThat(o.number("mmd_bandwidth")).isPositive();
        assertThat(o.number("bits_per_dim")).isEqualTo(o.number("test_nll") / (2 * Math.log(2)));
        assertThat(o.number("straightness")).isPositive();

        // a CSV is the held-out set; with fewer rows than --n it is used whole
        Path csv = dir.resolve("held.csv");
        StringBuilder sb = new StringBuilder("x0,x1\n");
        for (int k = 0; k < 150; k++) {
            double a = (k % 8) * Math.PI / 4;
            sb.append(2 * Math.cos(a)).append(',').append(2 * Math.sin(a)).append('\n');
        }
        Files.writeString(csv, sb);
        Run c = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", csv.toString(), "--n", "400", "--solver", "euler",
                "--steps", "8", "--threads", "1");
        assertThat(c.code()).as(c.err()).isZero();
        JsonObject q = json(c);
        assertThat(q.integer("held_out")).isEqualTo(150);
        assertThat(q.integer("nfe")).isEqualTo(8);
        assertThat(q.string("data")).isEqualTo(csv.toString());
    }

    @Test
    void badInputGetsAClearMessageAndTheRightExitCode() throws IOException {
        Path three = dir.resolve("three.csv");
        Files.writeString(three, "a,b,c\n1,2,3\n4,5,6\n");
        Run d = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", three.toString(), "--n", "10");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains("three.csv").contains("3 columns").contains("dimension 2");

        Run m = FlowCommandsTest.run("eval", "--model", dir.resolve("nowhere").toString(), "--data", "moons");
        assertThat(m.code()).isEqualTo(1);
        assertThat(m.err()).contains("nowhere").contains("does not exist").doesNotContain("at org.");

        Run n = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", "moons", "--n", "0");
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err()).contains("--n must be >= 1");

        Run s = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", "moons", "--solver", "dopri5", "--steps", "5");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("--steps");

        Run u = FlowCommandsTest.run("eval", "--model", model.toString(), "--data", "nosuchset");
        assertThat(u.code()).isEqualTo(1);
        assertThat(u.err()).contains("nosuchset").contains("moons");
    }
}
