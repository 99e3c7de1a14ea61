package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.cli.FlowCommandsTest.Run;
import org.flowmatch4j.io.Checkpoint;
import org.flowmatch4j.io.CheckpointStore;
import org.flowmatch4j.io.SafeTensors;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --config} and {@code train --resume} through the real command line, including their bad input. */
class TrainConfigResumeTest {
    @TempDir
    Path tmp;

    /** The options of a small, fast run; {@link #train} adds the rest. */
    private static final List<String> SMALL = List.of("--hidden", "8", "--layers", "2", "--batch", "32", "--threads", "1", "--seed", "2");

    private static Run train(String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(SMALL);
        a.addAll(List.of(extra));
        return FlowCommandsTest.run(a.toArray(new String[0]));
    }

    private static Run ok(Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    private static byte[] weights(Path dir) throws IOException {
        return Files.readAllBytes(dir.resolve("model.safetensors"));
    }

    @Test
    void configFileSetsOptionsTheCommandLineOverridesAndTheEffectiveConfigReproducesTheRun() throws IOException {
        Path yaml = tmp.resolve("run.yaml");
        Files.writeString(yaml, "# a run\ndata: moons\nsteps: 500\nhidden: 16\ncoupling: exact-ot\nlr: 2e-3\nema: 0.9\ncheckpoint-every: 0\n");
        Path a = tmp.resolve("a");
        ok(FlowCommandsTest.run("train", "--config", yaml.toString(), "--out", a.toString(), "--steps", "30", "--threads", "1"));
        String cfg = Files.readString(a.resolve("config.json"));
        assertThat(cfg).contains("\"hidden\": 16").contains("\"coupling\": \"exact-ot\"").contains("\"lr\": 0.002").contains("\"ema\": 0.9");
        assertThat(Files.readAllLines(a.resolve("train-log.csv"))).hasSize(31); // --steps 30 beat the file's 500
        assertThat(a.resolve("checkpoints")).doesNotExist(); // checkpoint-every: 0
        String effective = Files.readString(a.resolve(TrainCommand.EFFECTIVE_CONFIG));
        assertThat(effective).contains("steps: 30").contains("coupling: exact-ot").contains("hidden: 16").contains("threads: 1")
                .contains("sigma: 0.0").doesNotContain("config").doesNotContain("force");

        // the saved effective config alone reruns the same training, bit for bit
        Path b = tmp.resolve("b");
        ok(FlowCommandsTest.run("train", "--config", a.resolve(TrainCommand.EFFECTIVE_CONFIG).toString(), "--out", b.toString()));
        assertThat(weights(b)).isEqualTo(weights(a));

        // a JSON file works the same way
        Path json = tmp.resolve("run.json");
        Files.writeString(json, "{\"data\": \"moons\", \"steps\": 30, \"hidden\": 16, \"coupling\": \"exact-ot\", \"lr\": 0.002, \"ema\": 0.9, "
                + "\"threads\": 1, \"checkpoint-every\": 0}");
        Path c = tmp.resolve("c");
        ok(FlowCommandsTest.run("train", "--config", json.toString(), "--out", c.toString()));
        assertThat(weights(c)).isEqualTo(weights(a));
    }

    @Test
    void badConfigFilesAreUsageErrorsNamingTheFileAndKey() throws IOException {
        Path out = tmp.resolve("never");
        Map<String, String> cases = Map.of(
                "stepz: 10\nhidden: 8\nlearning_rate: 1\n", "unknown keys stepz, learning_rate",
                "steps: many\n", "key steps: Invalid value for option '--steps': 'many' is not a long",
                "hidden: [8, 16]\n", "key hidden must be a single value, found a list",
                "- steps\n- 10\n", "expected a mapping of option names to values",
                "steps: 1\nsteps: 2\n", "not valid YAML or JSON",
                "config: other.yaml\n", "unknown key config");
        int i = 0;
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path f = tmp.resolve("bad" + i++ + ".yaml");
            Files.writeString(f, e.getKey());
            Run r = FlowCommandsTest.run("train", "--config", f.toString(), "--data", "moons", "--out", out.toString());
            assertThat(r.code()).as("%s -> %s", e.getKey(), r.err()).isEqualTo(2);
            assertThat(r.err()).contains(f.toString()).contains(e.getValue());
        }
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "stepz: 10\n");
        Run unknown = FlowCommandsTest.run("train", "--config", typo.toString(), "--data", "moons", "--out", out.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown key stepz (valid keys: activation, batch, checkpoint-every, ")
                .contains(" coupling, ").contains(" data, ").contains(" steps, ").contains(" method, ");
        Run missing = FlowCommandsTest.run("train", "--config", tmp.resolve("nope.yaml").toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yaml").contains("file not found").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void resumeExtendsARunBitForBitAndRefusesChangesToTheModelOrData() throws IOException {
        Path whole = tmp.resolve("whole");
        ok(train("--data", "circles", "--out", whole.toString(), "--steps", "60", "--checkpoint-every", "0", "--ema", "0.95"));
        Path part = tmp.resolve("part");
        ok(train("--data", "circles", "--out", part.toString(), "--steps", "40", "--checkpoint-every", "15", "--ema", "0.95"));
        assertThat(new CheckpointStore(part.resolve("checkpoints"), 2).steps()).containsExactly(30L, 40L);

        Run conflict = FlowCommandsTest.run("train", "--resume", part.toString(), "--hidden", "32", "--data", "moons", "--steps", "60");
        assertThat(conflict.code()).isEqualTo(2);
        assertThat(conflict.err()).contains("--hidden 32 (the run has 8)").contains("--data moons (the run has circles)")
                .contains("would change the model or the data");
        Run wrongOut = FlowCommandsTest.run("train", "--resume", part.toString(), "--out", whole.toString());
        assertThat(wrongOut.code()).isEqualTo(2);
        assertThat(wrongOut.err()).contains("--out must be left out");
        Run tooFew = FlowCommandsTest.run("train", "--resume", part.toString(), "--steps", "20");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--steps 20 is below the step of the checkpoint to resume from (40");

        // the same values given again are fine; --steps extends the run to the uninterrupted run's bits and log
        Run r = ok(FlowCommandsTest.run("train", "--resume", part.toString(), "--steps", "60", "--hidden", "8", "--data", "circles"));
        assertThat(r.last()).contains("\"resumed_from_step\":40").contains("\"steps\":60");
        assertThat(weights(part)).isEqualTo(weights(whole));
        assertThat(Files.readAllLines(part.resolve("train-log.csv"))).hasSize(61);
        assertThat(Files.readString(part.resolve("config.json"))).contains("\"steps\": 60");
        assertThat(Files.readString(part.resolve(TrainCommand.EFFECTIVE_CONFIG))).contains("steps: 60");
        assertThat(new CheckpointStore(part.resolve("checkpoints"), 2).steps()).containsExactly(45L, 60L);

        // a fresh run over a checkpointed directory needs --force, which also drops the old run's checkpoints
        Run exists = train("--data", "circles", "--out", part.toString(), "--steps", "5");
        assertThat(exists.code()).isEqualTo(2);
        assertThat(exists.err()).contains("--force").contains("--resume " + part);
        ok(train("--data", "circles", "--out", part.toString(), "--steps", "5", "--force", "--checkpoint-every", "0"));
        assertThat(new CheckpointStore(part.resolve("checkpoints"), 2).steps()).isEmpty();
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedAndReportedWhileNoUsableOneFailsNamingEachFile() throws IOException {
        Path whole = tmp.resolve("whole");
        ok(train("--data", "moons", "--out", whole.toString(), "--steps", "50", "--checkpoint-every", "0"));
        Path part = tmp.resolve("part");
        ok(train("--data", "moons", "--out", part.toString(), "--steps", "30", "--checkpoint-every", "20"));
        CheckpointStore store = new CheckpointStore(part.resolve("checkpoints"), 2);
        Path newest = store.pathFor(30);
        byte[] b = Files.readAllBytes(newest);
        b[b.length - 5] ^= 1; // one bit flipped in the tensor data
        Files.write(newest, b);
        Run r = ok(FlowCommandsTest.run("train", "--resume", part.toString(), "--steps", "50"));
        assertThat(r.err()).contains("warning: skipping a damaged checkpoint").contains(newest.toString()).contains("checksum mismatch");
        assertThat(r.last()).contains("\"resumed_from_step\":20");
        assertThat(newest.resolveSibling(newest.getFileName() + ".corrupt")).isRegularFile();
        assertThat(weights(part)).isEqualTo(weights(whole));

        // truncate both remaining checkpoints: resume fails, naming every file and its problem, and changes nothing
        for (long s : store.steps()) {
            byte[] c = Files.readAllBytes(store.pathFor(s));
            Files.write(store.pathFor(s), java.util.Arrays.copyOf(c, c.length - 100));
        }
        byte[] before = weights(part);
        Run none = FlowCommandsTest.run("train", "--resume", part.toString(), "--steps", "80");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("none of the 2 checkpoint files loads").contains("checkpoint-40.safetensors")
                .contains("checkpoint-50.safetensors").contains("truncated").doesNotContain("\tat ");
        assertThat(weights(part)).isEqualTo(before);
    }

    @Test
    void aCheckpointWhoseTensorsDoNotFitItsRunIsRejectedNamingFileAndShapesBeforeAnythingIsWritten() throws IOException {
        Path wide = tmp.resolve("wide");
        ok(FlowCommandsTest.run("train", "--data", "moons", "--out", wide.toString(), "--steps", "10", "--checkpoint-every", "10", "--hidden", "16",
                "--layers", "2", "--batch", "32", "--threads", "1", "--seed", "2"));
        Path narrow = tmp.resolve("narrow");
        ok(train("--data", "moons", "--out", narrow.toString(), "--steps", "10", "--checkpoint-every", "10"));
        Checkpoint w = Checkpoint.load(wide.resolve("checkpoints/checkpoint-10.safetensors"));
        Checkpoint n = Checkpoint.load(narrow.resolve("checkpoints/checkpoint-10.safetensors"));
        // a well-formed file whose tensors (hidden 16) do not fit the run it describes (hidden 8)
        Checkpoint mixed = new Checkpoint(10, w.model(), w.optimizer(), 10, w.ema(), w.rngState(), n.configJson(), w.extra());
        Path f = new CheckpointStore(narrow.resolve("checkpoints"), 2).save(mixed);
        byte[] before = weights(narrow);
        Run r = FlowCommandsTest.run("train", "--resume", narrow.toString(), "--steps", "30");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(f.toString()).contains("expected float32[8, 3], saved float32[16, 3]").doesNotContain("\tat ");
        assertThat(weights(narrow)).isEqualTo(before);
    }

    @Test
    void resumeFailsClearlyWithoutCheckpointsWithAFutureFormatAndWithChangedData() throws IOException {
        Run missing = FlowCommandsTest.run("train", "--resume", tmp.resolve("absent").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("absent").contains("no such directory");

        Path noCk = tmp.resolve("nock");
        ok(train("--data", "moons", "--out", noCk.toString(), "--steps", "5", "--checkpoint-every", "0"));
        Run empty = FlowCommandsTest.run("train", "--resume", noCk.toString());
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).contains("holds no checkpoint").contains("--checkpoint-every 0");

        Path future = tmp.resolve("future");
        Path f = future.resolve("checkpoints").resolve("checkpoint-5.safetensors");
        Files.createDirectories(f.getParent());
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("format_version", Long.toString(Checkpoint.FORMAT_VERSION + 1));
        SafeTensors.write(f, Map.of("model.w", Tensor.zeros(DType.FLOAT32, 2)), meta);
        Run newer = FlowCommandsTest.run("train", "--resume", future.toString());
        assertThat(newer.code()).isEqualTo(1);
        assertThat(newer.err()).contains(f.toString()).contains("format version " + (Checkpoint.FORMAT_VERSION + 1)).contains("upgrade");

        // a CSV edited after the checkpoint is noticed
        Path csv = tmp.resolve("points.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 50; i++) {
            sb.append(i).append(',').append(i % 7).append('\n');
        }
        Files.writeString(csv, sb);
        Path run = tmp.resolve("csvrun");
        ok(train("--data", csv.toString(), "--out", run.toString(), "--steps", "10", "--checkpoint-every", "5"));
        Files.writeString(csv, sb.toString().replace("\n3,3\n", "\n3,4\n"));
        Run changed = FlowCommandsTest.run("train", "--resume", run.toString(), "--steps", "20");
        assertThat(changed.code()).isEqualTo(1);
        assertThat(changed.err()).contains("points.csv").contains("the data differ from those the checkpointed run trained on");
    }

    @Test
    void aDivergingRunStopsWithExitOneNamingTheStepLossAndLastGoodCheckpoint() throws IOException {
        Path out = tmp.resolve("diverge");
        // a learning rate of 1e18 is a real divergence: weights jump by ~1e18 and float32 overflows within a few steps
        Run r = train("--data", "moons", "--out", out.toString(), "--steps", "1000", "--lr", "1e18", "--checkpoint-every", "1");
        assertThat(r.code()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("training diverged at step (\\d+): ").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        long step = Long.parseLong(m.group(1));
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), 2);
        long good = store.loadLatest().orElseThrow().checkpoint().step();
        assertThat(good).isEqualTo(step - 1);
        assertThat(r.err()).contains("the last good checkpoint is " + store.pathFor(good)).contains("--resume " + out).doesNotContain("\tat ");
        assertThat(out.resolve("model.safetensors")).doesNotExist();
        Run verbose = train("--data", "moons", "--out", out.toString(), "--force", "--steps", "1000", "--lr", "1e18", "--verbose");
        assertThat(verbose.code()).isEqualTo(1);
        assertThat(verbose.err()).contains("TrainingDivergedException").contains("\tat ");
    }
}
