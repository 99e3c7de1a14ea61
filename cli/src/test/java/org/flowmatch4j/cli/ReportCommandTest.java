package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flowmatch4j.data.CsvWriter;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.report.ReportAssertions;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static CliRun report;

    @BeforeAll
    static void trainAndReport() {
        model = dir.resolve("m");
        CliRun t = CliRun.of("train", "--data", "8gaussians", "--out", model.toString(), "--steps", "400", "--hidden", "32", "--threads", "1",
                "--seed", "1");
        assertThat(t.code()).as(t.err()).isZero();
        report = CliRun.of("report", "--model", model.toString(), "--threads", "1", "--samples", "1000", "--grid", "32");
        assertThat(report.code()).as(report.err()).isZero();
    }

    @Test
    void theReportIsOneSelfContainedPageWithEveryFigure() throws Exception {
        JsonObject json = Json.parseObject(report.last(), "stdout");
        assertThat(json.string("command")).isEqualTo("report");
        assertThat(json.string("out")).isEqualTo(model.resolve("report.html").toString());
        assertThat(json.integer("figures")).isEqualTo(5);
        assertThat(json.integer("files")).isEqualTo(8);
        assertThat(json.number("w2")).isPositive().isLessThan(3);
        assertThat(json.number("seconds")).isPositive();
        String html = Files.readString(model.resolve("report.html"));
        List<BufferedImage> images = ReportAssertions.assertSelfContained(html);
        assertThat(images).hasSize(5);
        assertThat(html).contains("held-out points of the built-in &#39;8gaussians&#39; set").contains("W2 (standardised)")
                .contains("NLL (nats)").contains("density mass on the grid").contains("&quot;method&quot;: &quot;fm&quot;");
        for (String f : List.of("samples", "trajectories", "field", "density", "loss")) {
            BufferedImage png = ReportAssertions.readPng(model.resolve("report-" + f + ".png"));
            assertThat(png.getWidth()).isGreaterThan(300);
        }
        for (String f : List.of("field", "loss")) {
            ReportAssertions.parseSvg(model.resolve("report-" + f + ".svg"));
            assertThat(Files.size(model.resolve("report-" + f + ".svg"))).as("SVG stays small").isLessThan(1_000_000);
        }
    }

    @Test
    void anExistingReportIsKeptWithoutForce() throws IOException {
        String before = Files.readString(model.resolve("report.html"));
        CliRun again = CliRun.of("report", "--model", model.toString(), "--threads", "1", "--samples", "1000", "--grid", "32");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists").contains("--force");
        assertThat(Files.readString(model.resolve("report.html"))).isEqualTo(before);
        Path other = dir.resolve("elsewhere/r.html");
        CliRun forced = CliRun.of("report", "--model", model.toString(), "--out", other.toString(), "--data", "moons", "--threads", "1",
                "--samples", "1000", "--grid", "32");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(other).isRegularFile();
        assertThat(dir.resolve("elsewhere/r-samples.png")).isRegularFile();
        assertThat(Files.readString(other)).contains("built-in &#39;moons&#39; set");
    }

    @Test
    void badDataIsRefusedWithAMessage() throws IOException {
        CliRun unknown = CliRun.of("report", "--model", model.toString(), "--data", "nosuchset", "--out", dir.resolve("x.html").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("nosuchset");
        Path csv = dir.resolve("three.csv");
        CsvWriter.write(csv, new float[] {1, 2, 3, 4, 5, 6}, 2, 3, List.of("a", "b", "c"));
        CliRun wrongDim = CliRun.of("report", "--model", model.toString(), "--data", csv.toString(), "--out", dir.resolve("y.html").toString());
        assertThat(wrongDim.code()).isEqualTo(1);
        assertThat(wrongDim.err()).contains("three.csv has 3 columns").contains("dimension 2").doesNotContain("at org.");
        CliRun noModel = CliRun.of("report", "--model", dir.resolve("nomodel").toString());
        assertThat(noModel.code()).isEqualTo(1);
        assertThat(noModel.err()).contains("does not exist");
        assertThat(dir.resolve("x.html")).doesNotExist();
    }

    @Test
    void withoutReferenceDataOrLossLogTheReportShowsSamplesAndSaysWhatIsMissing() throws Exception {
        Path csv = dir.resolve("moons.csv");
        Dataset ds = ToyDatasets.generate("moons", 2000, new Rng(4));
        CsvWriter.write(csv, ds.toArray(), ds.size(), 2, List.of("u", "v"));
        Path m2 = dir.resolve("m2");
        CliRun t = CliRun.of("train", "--data", csv.toString(), "--out", m2.toString(), "--steps", "200", "--hidden", "16", "--threads", "1");
        assertThat(t.code()).as(t.err()).isZero();
        Files.delete(m2.resolve("train-log.csv"));
        CliRun r = CliRun.of("report", "--model", m2.toString(), "--threads", "1", "--samples", "1000", "--grid", "32");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = Json.parseObject(r.last(), "stdout");
        assertThat(json.integer("figures")).isEqualTo(4);
        assertThat(json.asMap().get("w2")).isNull();
        String html = Files.readString(m2.resolve("report.html"));
        assertThat(html.contains("no reference data (samples only)")).isTrue();
        assertThat(html.contains("No train-log.csv in the model directory")).isTrue();
        assertThat(html.contains("&quot;u&quot;")).as("the config lists the CSV's columns").isTrue();
        assertThat(ReportAssertions.assertSelfContained(html)).hasSize(4);
    }

    @Test
    void aNormalizingFlowHasNoVelocityFieldSoTheReportSaysSoAndKeepsTheRest() throws Exception {
        Path nf = dir.resolve("nf");
        CliRun t = CliRun.of("train", "--method", "nf", "--data", "moons", "--out", nf.toString(), "--steps", "100", "--hidden", "16",
                "--threads", "1");
        assertThat(t.code()).as(t.err()).isZero();
        CliRun r = CliRun.of("report", "--model", nf.toString(), "--threads", "1", "--samples", "1000", "--grid", "32");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Json.parseObject(r.last(), "stdout").integer("figures")).isEqualTo(3);
        String html = Files.readString(nf.resolve("report.html"));
        assertThat(html.contains("has no velocity field: no trajectories or vector-field figures")).isTrue();
        assertThat(ReportAssertions.assertSelfContained(html)).hasSize(3);
        assertThat(nf.resolve("report-density.png")).isRegularFile();
        assertThat(nf.resolve("report-trajectories.png")).doesNotExist();
    }
}
