package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL robustness: a child JVM saves checkpoints in a loop and is killed at random moments; after every
 * kill the newest checkpoint loads, is internally consistent (not a mix of two saves), and no file under a
 * checkpoint name is damaged.
 */
class CheckpointKillTest {
    @TempDir
    Path dir;

    private static void assertConsistent(Checkpoint c) {
        long s = c.step();
        Checkpoint expected = CheckpointWriterProcess.checkpointFor(s);
        for (var part : List.of(List.of(c.model(), expected.model()), List.of(c.optimizer(), expected.optimizer()), List.of(c.ema(), expected.ema()))) {
            assertThat(part.get(0).keySet()).containsExactlyElementsOf(part.get(1).keySet());
            part.get(1).forEach((k, t) -> {
                Tensor got = part.get(0).get(k);
                assertThat(got.shape()).isEqualTo(t.shape());
                assertThat(got.toDoubleArray()).as("%s at step %d", k, s).isEqualTo(t.toDoubleArray());
            });
        }
        assertThat(c.rngState()).isEqualTo(expected.rngState());
        assertThat(c.optimizerSteps()).isEqualTo(s);
        assertThat(c.config().integer("step")).isEqualTo(s);
    }

    @Test
    void checkpointsSurviveSigkillAtRandomMoments() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 3);
        Rng delays = new Rng(2024);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long previous = -1;
        for (int round = 0; round < 6; round++) {
            List<Long> steps = store.steps();
            long start = steps.isEmpty() ? 0 : steps.get(steps.size() - 1) + 1;
            Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(), dir.toString(), Long.toString(start))
                    .redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null && !line.startsWith("saved ")) {
                    output.append(line).append('\n');
                }
                assertThat(line).as("child wrote no checkpoint; its output:\n%s", output).isNotNull();
                // the child is now saving continuously (a save takes a few ms to tens of ms, mostly fsync): kill it mid-write, mid-rename or mid-pruning
                Thread.sleep(delays.nextInt(60));
                p.destroyForcibly();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            LoadedCheckpoint latest = store.loadLatest().orElseThrow();
            assertThat(latest.skipped()).as("no damaged file under a checkpoint name").isEmpty();
            assertThat(latest.checkpoint().step()).isGreaterThanOrEqualTo(start).isGreaterThan(previous);
            assertConsistent(latest.checkpoint());
            for (long s : store.steps()) {
                assertConsistent(Checkpoint.load(store.pathFor(s)));
            }
            previous = latest.checkpoint().step();
        }
        // the next save clears temporary files that the kills left behind
        store.save(CheckpointWriterProcess.checkpointFor(previous + 1));
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.filter(AtomicFiles::isTempFile).toList()).isEmpty();
        }
    }
}
