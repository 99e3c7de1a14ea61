package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parsing and writing speed on 1M rows × 2 columns of normal draws. Off by default (it takes seconds and
 * the machine is shared); run with
 * {@code ./mvnw -q -B -pl core test -Dtest=CsvSpeedBenchmarkTest -Dflowmatch4j.bench=true}.
 */
@EnabledIfSystemProperty(named = "flowmatch4j.bench", matches = "true")
class CsvSpeedBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void millionRowsReadInWellUnderAFewSeconds() throws IOException {
        int n = 1_000_000;
        float[] x = new float[2 * n];
        new Rng(1).fillNormal(x, 0, x.length);
        Path p = dir.resolve("million.csv");
        double bestWrite = Double.MAX_VALUE;
        double bestRead = Double.MAX_VALUE;
        Dataset d = null;
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            CsvWriter.write(p, x, n, 2, null);
            long t1 = System.nanoTime();
            d = CsvReader.read(p);
            long t2 = System.nanoTime();
            bestWrite = Math.min(bestWrite, (t1 - t0) * 1e-9);
            bestRead = Math.min(bestRead, (t2 - t1) * 1e-9);
        }
        System.out.printf("CSV 1M x 2 (%.1f MB): write %.3f s, read %.3f s (best of 4)%n", Files.size(p) / 1e6, bestWrite, bestRead);
        assertThat(d.toArray()).isEqualTo(x);
        assertThat(bestRead).isLessThan(3.0);
    }
}
