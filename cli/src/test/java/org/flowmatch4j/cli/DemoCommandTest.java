package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.report.ReportAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoTrainsOnTheCatAndWritesModelAndReport() throws Exception {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--out", out.toString(), "--steps", "1500", "--hidden", "64", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = Json.parseObject(r.last(), "stdout");
        assertThat(json.string("command")).isEqualTo("demo");
        assertThat(json.string("out")).isEqualTo(out.resolve("report.html").toString());
        assertThat(json.integer("figures")).isEqualTo(5);
        assertThat(json.number("train_seconds")).isPositive().isLessThan(json.number("seconds"));
        // a short run already turns the Gaussian into a rough cat: the standard normal source itself is at W2 ≈ 0.48
        assertThat(json.number("w2")).isLessThan(0.25);
        assertThat(r.err()).contains("step 1500/1500").contains("demo: open");
        for (String f : List.of("model.safetensors", "config.json", "train-log.csv", "report.html", "report-samples.png", "report-loss.svg")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        assertThat(Files.readAllLines(out.resolve("train-log.csv"))).hasSize(1501);
        assertThat(ReportAssertions.assertSelfContained(Files.readString(out.resolve("report.html")))).hasSize(5);
        // the model directory is an ordinary one: sample works on it
        CliRun s = CliRun.of("sample", "--model", out.toString(), "--n", "10", "--out", dir.resolve("s.csv").toString());
        assertThat(s.code()).as(s.err()).isZero();
    }

    @Test
    void aNonEmptyOutIsRefusedWithoutForce() throws IOException {
        Path out = dir.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun r = CliRun.of("demo", "--out", out.toString(), "--steps", "10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not empty").contains("--force");
        assertThat(Files.list(out).count()).isEqualTo(1);
        CliRun bad = CliRun.of("demo", "--out", dir.resolve("x").toString(), "--steps", "0");
        assertThat(bad.code()).isEqualTo(2);
    }
}
