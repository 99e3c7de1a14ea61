package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void roundTripIsFloat32Exact() throws IOException {
        Rng rng = new Rng(17);
        int n = 3000;
        int d = 3;
        float[] x = new float[n * d];
        for (int k = 0; k < x.length; k++) {
            // random bit patterns cover every exponent, subnormals included; skip non-finite ones
            float v;
            do {
                v = Float.intBitsToFloat((int) rng.nextLong());
            } while (!Float.isFinite(v));
            x[k] = v;
        }
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 0.1f, 1e-10f,
            123456789f, 1f / 3, (float) Math.PI};
        System.arraycopy(special, 0, x, 0, special.length);
        Path p = dir.resolve("samples.csv");
        CsvWriter.write(p, Dataset.of(x, n, d));
        Dataset back = CsvReader.read(p);
        assertThat(back.columnNames()).containsExactly("x0", "x1", "x2");
        assertThat(back.size()).isEqualTo(n);
        float[] y = back.toArray();
        for (int k = 0; k < x.length; k++) {
            assertThat(Float.floatToRawIntBits(y[k])).as("value %d (%s)", k, x[k]).isEqualTo(Float.floatToRawIntBits(x[k]));
        }
        assertThat(listing()).containsExactly("samples.csv");
        assertThat(Files.readAllLines(p).get(0)).isEqualTo("x0,x1,x2");
    }

    @Test
    void namesNeedingQuotesRoundTripAndTensorsWrite() throws IOException {
        Path p = dir.resolve("named.csv");
        List<String> names = List.of("a,b", "say \"hi\"", "plain");
        CsvWriter.write(p, new float[] {1, 2, 3, 4, 5, 6}, 2, 3, names);
        Dataset d = CsvReader.read(p);
        assertThat(d.columnNames()).isEqualTo(names);
        assertThat(d.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
        Path t = dir.resolve("tensor.csv");
        CsvWriter.write(t, Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 2));
        assertThat(CsvReader.read(t).toArray()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f);
        assertThatThrownBy(() -> CsvWriter.write(t, Tensor.zeros(DType.FLOAT32, 3))).hasMessageContaining("rank-2").hasMessageContaining("[3]");
        assertThatThrownBy(() -> CsvWriter.write(p, new float[5], 2, 3, null)).hasMessageContaining("5 values").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> CsvWriter.write(p, new float[6], 2, 3, List.of("a", "b"))).hasMessageContaining("2 column names");
    }

    @Test
    void failureMidWriteLeavesNoPartialFileNoTempFileAndTheOldFileIntact() throws IOException {
        Path p = dir.resolve("out.csv");
        Files.write(p, "old\n".getBytes(StandardCharsets.UTF_8));
        float[] x = new float[2 * 50_000];
        x[x.length - 1] = Float.NaN; // injected failure after most rows are written
        assertThatThrownBy(() -> CsvWriter.write(p, x, 50_000, 2, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite value NaN at row 49999, column 2 (\"x1\")").hasMessageContaining("discarded");
        assertThat(listing()).containsExactly("out.csv");
        assertThat(Files.readString(p)).isEqualTo("old\n");
        Path fresh = dir.resolve("fresh.csv");
        assertThatThrownBy(() -> CsvWriter.write(fresh, x, 50_000, 2, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(fresh)).isFalse();
        assertThat(listing()).containsExactly("out.csv");
    }

    @Test
    void failedRenameDeletesTheTempFile() throws IOException {
        Path blocker = dir.resolve("taken.csv");
        Files.createDirectory(blocker);
        Files.write(blocker.resolve("inside"), new byte[] {1});
        assertThatThrownBy(() -> CsvWriter.write(blocker, new float[] {1, 2}, 2, 1, null)).hasMessageContaining("directory");
        // a rename that fails at commit time: make the target a non-empty directory after opening
        Path late = dir.resolve("late.csv");
        CsvStreamWriter w = CsvStreamWriter.open(late, List.of("x"));
        w.appendRows(new float[] {1, 2, 3}, 0, 3);
        Files.createDirectory(late);
        Files.write(late.resolve("inside"), new byte[] {1});
        assertThatThrownBy(w::commit).isInstanceOf(IOException.class);
        assertThat(Files.exists(w.tempFile())).isFalse();
        assertThat(listing()).containsExactlyInAnyOrder("late.csv", "taken.csv");
        try (Stream<Path> inside = Files.list(late)) {
            assertThat(inside.count()).isEqualTo(1);
        }
        assertThat(Files.isDirectory(late)).isTrue();
    }

    @Test
    void streamingWriterPublishesOnlyOnCommit() throws IOException {
        Path p = dir.resolve("stream.csv");
        float[] chunk = new float[2 * 1000];
        Rng rng = new Rng(4);
        rng.fillNormal(chunk, 0, chunk.length);
        try (CsvStreamWriter w = CsvStreamWriter.open(p, List.of("u", "v"))) {
            for (int c = 0; c < 5; c++) {
                w.appendRows(chunk, 0, 1000);
                assertThat(Files.exists(p)).isFalse();
                assertThat(Files.exists(w.tempFile())).isTrue();
                assertThat(w.tempFile().getParent()).isEqualTo(p.toAbsolutePath().getParent());
            }
            w.appendRow(7f, 8f);
            assertThat(w.rowsWritten()).isEqualTo(5001);
            w.commit();
            assertThatThrownBy(() -> w.appendRow(1f, 2f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
        }
        Dataset d = CsvReader.read(p);
        assertThat(d.size()).isEqualTo(5001);
        assertThat(d.columnNames()).containsExactly("u", "v");
        assertThat(d.row(3000)).containsExactly(chunk[0], chunk[1]);
        assertThat(d.row(5000)).containsExactly(7f, 8f);
        assertThat(listing()).containsExactly("stream.csv");
    }

    @Test
    void closingWithoutCommitOrAfterAFailureDiscards() throws IOException {
        Path p = dir.resolve("abandoned.csv");
        assertThatThrownBy(() -> {
            try (CsvStreamWriter w = CsvStreamWriter.open(p, List.of("x"))) {
                w.appendRow(1f);
                throw new IllegalStateException("caller failed mid-stream");
            }
        }).hasMessage("caller failed mid-stream");
        assertThat(listing()).isEmpty();

        CsvStreamWriter w = CsvStreamWriter.open(p, List.of("x", "y"));
        assertThatThrownBy(() -> w.appendRow(1f)).hasMessageContaining("row of 1 values for 2 columns");
        assertThat(listing()).isEmpty();
        assertThatThrownBy(() -> w.appendRow(1f, 2f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("discarded");
        w.close();
        assertThatThrownBy(() -> CsvStreamWriter.open(p, List.of())).hasMessageContaining("at least one column name");
        assertThatThrownBy(() -> CsvStreamWriter.open(p, List.of("a", "a"))).hasMessageContaining("duplicate column name");
        assertThat(listing()).isEmpty();
    }
}
