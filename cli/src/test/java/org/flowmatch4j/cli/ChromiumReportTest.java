package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flowmatch4j.report.ReportAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a generated report in a real headless browser (Debian's {@code chromium}): it loads without console
 * messages, every image decodes (the report's inline check sets {@code data-images="ok"}, read back with
 * {@code --dump-dom}), and a screenshot comes out. Skipped where chromium is not installed.
 */
class ChromiumReportTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path dir;
    static Path html;

    @BeforeAll
    static void writeReport() {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed at /usr/bin/chromium (apt-get install -y chromium); browser check skipped");
        Path model = dir.resolve("m");
        CliRun t = CliRun.of("train", "--data", "moons", "--out", model.toString(), "--steps", "300", "--hidden", "32", "--threads", "1");
        assertThat(t.code()).as(t.err()).isZero();
        CliRun r = CliRun.of("report", "--model", model.toString(), "--threads", "1", "--samples", "1000", "--grid", "32");
        assertThat(r.code()).as(r.err()).isZero();
        html = model.resolve("report.html");
    }

    record Browser(int code, String out, String err) {
    }

    static Browser chromium(String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        cmd.add(html.toUri().toString());
        Path out = dir.resolve("browser-out.txt");
        Path err = dir.resolve("browser-err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s");
        }
        return new Browser(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReportLoadsWithoutConsoleMessagesAndEveryImageDecodes() throws Exception {
        Browser b = chromium("--dump-dom");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).as("the inline check found every image decoded").contains("data-images=\"ok\"").contains("data-image-count=\"5\"");
        // console.log/warn/error and uncaught exceptions all appear as CONSOLE lines with --enable-logging=stderr
        assertThat(b.err().lines().filter(l -> l.contains(":CONSOLE")).toList()).isEmpty();
    }

    @Test
    void aScreenshotShowsTheRenderedPage() throws Exception {
        Path shot = dir.resolve("shot.png");
        Browser b = chromium("--screenshot=" + shot, "--window-size=1280,2400", "--hide-scrollbars");
        assertThat(b.code()).as(b.err()).isZero();
        BufferedImage img = ReportAssertions.readPng(shot);
        assertThat(img.getWidth()).isEqualTo(1280);
        assertThat(img.getHeight()).isEqualTo(2400);
        // non-trivial: the figures put many colours on the page, and a good part of it is not background
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        int ink = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff && rgb != 0xfafafa) {
                    ink++;
                }
            }
        }
        assertThat(colours.size()).isGreaterThan(500);
        assertThat(ink / (double) (img.getWidth() * img.getHeight() / 4)).isGreaterThan(0.05);
    }
}
