package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flowmatch4j.io.CheckpointStore;
import org.flowmatch4j.io.LoadedCheckpoint;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowmatch train} in a real child JVM, checkpointing every 7 steps, is SIGKILLed
 * ({@link Process#destroyForcibly()}) at random moments, then resumed with {@code --resume} and killed again;
 * after every kill the newest checkpoint loads with no damaged file under a checkpoint name, and the run
 * finished from the last one ends with the same bytes as a run that was never interrupted.
 */
class TrainKillResumeTest {
    @TempDir
    Path tmp;

    private static final String[] RUN = {"--data", "moons", "--hidden", "16", "--layers", "2", "--batch", "32", "--threads", "1",
        "--seed", "4", "--coupling", "exact-ot", "--ema", "0.99"};

    private static String[] args(String... first) {
        List<String> a = new ArrayList<>(List.of(first));
        a.addAll(List.of(RUN));
        return a.toArray(new String[0]);
    }

    private Process child(Path log, String... cliArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(cliArgs));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void killedRunsLeaveALoadableCheckpointAndResumeToTheUninterruptedResult() throws Exception {
        Path dir = tmp.resolve("run");
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
        Rng moments = new Rng(77);
        long previous = 0;
        for (int round = 0; round < 3; round++) {
            Path log = tmp.resolve("child-" + round + ".log");
            // a run far longer than the test: it is always killed mid-training (the resumes keep its --steps)
            Process p = round == 0
                    ? child(log, args("train", "--out", dir.toString(), "--steps", "1000000", "--checkpoint-every", "7"))
                    : child(log, "train", "--resume", dir.toString());
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // wait for the child's first checkpoint of this round, then kill it at a random moment (mostly mid-save:
                // with a checkpoint every 7 steps of a tiny model, writing checkpoints is most of what it does)
                while (latestFileStep(store) <= previous) {
                    assertThat(p.isAlive()).as("child exited early; its output:\n%s", Files.exists(log) ? Files.readString(log) : "").isTrue();
                    assertThat(System.nanoTime()).as("no checkpoint within 60 s").isLessThan(deadline);
                    Thread.sleep(5);
                }
                Thread.sleep(moments.nextInt(150));
                p.destroyForcibly();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            LoadedCheckpoint latest = store.loadLatest().orElseThrow();
            assertThat(latest.skipped()).as("a damaged file under a checkpoint name").isEmpty();
            assertThat(latest.checkpoint().step()).isGreaterThan(previous).isLessThan(1000000);
            for (long s : store.steps()) {
                assertThat(store.pathFor(s)).isRegularFile();
                org.flowmatch4j.io.Checkpoint.load(store.pathFor(s)); // every kept file loads
            }
            previous = latest.checkpoint().step();
        }

        // finish from the last checkpoint in this JVM, and compare with a run that was never killed
        long total = previous + 25;
        FlowCommandsTest.Run resumed = FlowCommandsTest.run("train", "--resume", dir.toString(), "--steps", Long.toString(total));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.last()).contains("\"resumed_from_step\":" + previous);
        Path whole = tmp.resolve("whole");
        FlowCommandsTest.Run straight = FlowCommandsTest.run(args("train", "--out", whole.toString(), "--steps", Long.toString(total),
                "--checkpoint-every", "0"));
        assertThat(straight.code()).as(straight.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));
        List<String> a = Files.readAllLines(dir.resolve("train-log.csv"));
        List<String> b = Files.readAllLines(whole.resolve("train-log.csv"));
        assertThat(a).hasSize((int) total + 1);
        for (int i = 0; i < a.size(); i++) {
            // step and loss agree bit for bit; the seconds column is wall time
            assertThat(a.get(i).substring(0, a.get(i).lastIndexOf(','))).isEqualTo(b.get(i).substring(0, b.get(i).lastIndexOf(',')));
        }
    }

    private static long latestFileStep(CheckpointStore store) throws java.io.IOException {
        List<Long> s = store.steps();
        return s.isEmpty() ? 0 : s.get(s.size() - 1);
    }
}
