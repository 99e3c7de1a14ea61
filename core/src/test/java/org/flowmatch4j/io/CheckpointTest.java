package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nn.Mlp;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.optim.Ema;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path tmp;

    /** A toy training run whose every step draws its batch from {@code rng}, so resuming needs the RNG state too. */
    private static final class Run {
        final Mlp net;
        final Adam opt;
        final Ema ema;
        Rng rng;

        Run(long seed) {
            net = new Mlp(3, 16, 2, 2, Activation.SILU, DType.FLOAT32, new Rng(seed));
            opt = new Adam(net.parameters(), 1e-2);
            ema = new Ema(net.parameters(), 0.9);
            rng = new Rng(seed + 1);
        }

        void step() {
            Tensor x = rng.normal(DType.FLOAT32, 8, 3);
            Tensor y = rng.normal(DType.FLOAT32, 8, 2);
            opt.zeroGrad();
            net.forward(Var.constant(x)).sub(Var.constant(y)).square().mean().backward();
            opt.step();
            ema.update();
        }

        double[] everything() {
            List<Double> all = new java.util.ArrayList<>();
            net.stateDict().values().forEach(t -> { for (double d : t.toDoubleArray()) { all.add(d); } });
            opt.state().values().forEach(t -> { for (double d : t.toDoubleArray()) { all.add(d); } });
            ema.shadow().forEach(t -> { for (double d : t.toDoubleArray()) { all.add(d); } });
            all.add((double) rng.nextLong());
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @Test
    void resumingFromAFileContinuesBitForBit() throws IOException {
        Run a = new Run(1);
        for (int i = 0; i < 3; i++) {
            a.step();
        }
        Checkpoint c = Checkpoint.capture(3, a.net, a.opt, a.ema, a.rng, "{\"lr\": 0.01, \"hidden\": 16}");
        Path f = tmp.resolve("c.safetensors");
        c.save(f);
        for (int i = 0; i < 2; i++) {
            a.step(); // the captured copy must not follow these updates
        }
        Checkpoint loaded = Checkpoint.load(f);
        assertThat(loaded.step()).isEqualTo(3);
        assertThat(loaded.optimizerSteps()).isEqualTo(3);
        assertThat(loaded.rngState()).isEqualTo(c.rngState());
        assertThat(loaded.config().number("lr")).isEqualTo(0.01);
        assertThat(loaded.model().keySet()).containsExactlyElementsOf(a.net.stateDict().keySet());
        assertThat(loaded.optimizer().keySet()).containsExactlyElementsOf(a.opt.state().keySet());
        assertThat(loaded.ema().keySet()).containsExactlyElementsOf(a.net.namedParameters().keySet());
        assertThat(SafeTensors.read(f).tensors().keySet()).contains("optim.exp_avg.0", "optim.exp_avg_sq.0", "ema." + a.net.namedParameters().keySet().iterator().next());

        Run b = new Run(99); // different initial weights, optimiser state and generator
        loaded.restoreInto(b.net, b.opt, b.ema);
        b.rng = loaded.rng();
        for (int i = 0; i < 2; i++) {
            b.step();
        }
        assertThat(b.everything()).isEqualTo(a.everything());
        assertThat(b.opt.steps()).isEqualTo(5);
    }

    @Test
    void restoreChecksEverythingBeforeChangingAnything() throws IOException {
        Run a = new Run(1);
        a.step();
        Checkpoint c = Checkpoint.capture(1, a.net, a.opt, a.ema, a.rng, "{}");
        Mlp other = new Mlp(3, 8, 2, 2, Activation.SILU, DType.FLOAT32, new Rng(5));
        Adam otherOpt = new Adam(other.parameters(), 1e-2);
        double[] before = other.stateDict().values().iterator().next().toDoubleArray();
        assertThatThrownBy(() -> c.restoreInto(other, otherOpt, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step 1").hasMessageContaining("expected float32[8, 3], saved float32[16, 3]");
        assertThat(other.stateDict().values().iterator().next().toDoubleArray()).isEqualTo(before);
        assertThat(otherOpt.steps()).isZero();
    }

    @Test
    void invalidCheckpointsAreRejectedOnConstruction() {
        Map<String, Tensor> none = Map.of();
        assertThatThrownBy(() -> new Checkpoint(-1, none, none, 0, none, null, "{}")).hasMessageContaining("-1");
        assertThatThrownBy(() -> new Checkpoint(1, none, none, 0, none, null, "[1]")).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> new Checkpoint(1, none, none, 0, none, new long[] {1, 2}, "{}")).hasMessageContaining("3 longs");
        assertThatThrownBy(() -> new Checkpoint(1, none, none, 0, none, null, "{}").rng()).hasMessageContaining("no generator state");
    }

    private static Checkpoint tiny(long step) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.full(DType.FLOAT32, step, 4, 4));
        return new Checkpoint(step, m, Map.of("exp_avg.0", Tensor.full(DType.FLOAT64, -step, 4, 4)), step, Map.of(), new Rng(step).state(),
                "{\"step\": " + step + "}");
    }

    @Test
    void aFutureFormatVersionIsRefusedClearly() throws IOException {
        Path f = tmp.resolve("future.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("format_version", "3");
        meta.put("step", "1");
        meta.put("something_new", "x");
        SafeTensors.write(f, Map.of("model.w", Tensor.zeros(DType.FLOAT32, 2)), meta);
        UnsupportedFormatVersionException e = catchThrowableOfType(UnsupportedFormatVersionException.class, () -> Checkpoint.load(f));
        assertThat(e).hasMessageContaining(f.toString()).hasMessageContaining("format version 3").hasMessageContaining("up to 2")
                .hasMessageContaining("upgrade");
        assertThat(e.foundVersion()).isEqualTo(3);
    }

    /** The metadata a version-1 build wrote (the layout of that release, spelled out rather than produced by today's writer). */
    private static Map<String, String> version1Metadata(long step) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("format_version", "1");
        meta.put("step", Long.toString(step));
        meta.put("optimizer_steps", Long.toString(step));
        meta.put("rng_state", "[1,0,0]");
        meta.put("config", "{\"hidden\": 4}");
        return meta;
    }

    @Test
    void versionOneFilesStillLoadAndExtraTensorsNeedVersionTwo() throws IOException {
        Path f = tmp.resolve("v1.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.w", Tensor.full(DType.FLOAT32, 1.5, 2, 2));
        tensors.put("optim.exp_avg.0", Tensor.full(DType.FLOAT32, 0.25, 2, 2));
        SafeTensors.write(f, tensors, version1Metadata(7));
        Checkpoint old = Checkpoint.load(f);
        assertThat(old.step()).isEqualTo(7);
        assertThat(old.model().get("w").toDoubleArray()).containsOnly(1.5);
        assertThat(old.extra()).isEmpty();
        assertThat(old.config().integer("hidden")).isEqualTo(4);

        tensors.put("extra.log.loss", Tensor.zeros(DType.FLOAT64, 3));
        SafeTensors.write(f, tensors, version1Metadata(7));
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> Checkpoint.load(f))).hasMessageContaining(f.toString())
                .hasMessageContaining("\"extra.log.loss\"").hasMessageContaining("needs format version 2");

        // today's writer: extra tensors round-trip under their names, in order
        Map<String, Tensor> extra = new LinkedHashMap<>();
        extra.put("log.loss", Tensor.of(new double[] {0.5, 0.25}, 2));
        extra.put("trainer.seconds", Tensor.of(new double[] {3.0}, 1));
        Checkpoint now = new Checkpoint(2, Map.of("w", Tensor.zeros(DType.FLOAT32, 2)), Map.of(), 2, Map.of(), new Rng(1).state(), "{}", extra);
        now.save(f);
        Checkpoint back = Checkpoint.load(f);
        assertThat(back.extra().keySet()).containsExactly("log.loss", "trainer.seconds");
        assertThat(back.extra().get("log.loss").toDoubleArray()).containsExactly(0.5, 0.25);
        assertThat(SafeTensors.read(f).metadata().get("format_version")).isEqualTo("2");
    }

    @Test
    void wrongMetadataIsRejectedNamingTheFileAndTheKey() throws IOException {
        Path f = tmp.resolve("x.safetensors");
        SafeTensors.write(f, Map.of("model.w", Tensor.zeros(DType.FLOAT32, 2)), Map.of("format", "something-else"));
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> Checkpoint.load(f))).hasMessageContaining(f.toString())
                .hasMessageContaining("\"something-else\"");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("format_version", "1");
        meta.put("step", "three");
        SafeTensors.write(f, Map.of("model.w", Tensor.zeros(DType.FLOAT32, 2)), meta);
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> Checkpoint.load(f))).hasMessageContaining("\"step\" is \"three\"");
        meta.put("step", "3");
        meta.put("optimizer_steps", "3");
        meta.put("rng_state", "[]");
        meta.put("config", "{}");
        SafeTensors.write(f, Map.of("weights.w", Tensor.zeros(DType.FLOAT32, 2)), meta);
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> Checkpoint.load(f))).hasMessageContaining("\"weights.w\"");
        // without its checksum a file is not accepted as a checkpoint
        Files.write(f, SafeTensors.toBytes(Map.of("model.w", Tensor.zeros(DType.FLOAT32, 2)), meta, false));
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> Checkpoint.load(f))).hasMessageContaining("no \"flowmatch4j.sha256\"");
    }

    @Test
    void storeKeepsTheLastKAndRefusesGoingBackwards() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        assertThat(store.loadLatest()).isEmpty();
        for (long s : new long[] {10, 20, 30, 30}) {
            assertThat(store.save(tiny(s))).isEqualTo(store.pathFor(s));
        }
        assertThat(store.steps()).containsExactly(20L, 30L);
        LoadedCheckpoint latest = store.loadLatest().orElseThrow();
        assertThat(latest.checkpoint().step()).isEqualTo(30);
        assertThat(latest.checkpoint().model().get("w").getDouble(0)).isEqualTo(30.0);
        assertThat(latest.skipped()).isEmpty();
        assertThatThrownBy(() -> store.save(tiny(25))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 25").hasMessageContaining("step 30");
        assertThat(store.discardNewerThan(25)).isEqualTo(1);
        store.save(tiny(25));
        assertThat(store.steps()).containsExactly(20L, 25L);
        assertThatThrownBy(() -> new CheckpointStore(tmp, 0)).hasMessageContaining("keepLast");
    }

    @Test
    void loadLatestSkipsAndReportsCorruptCheckpoints() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 5);
        store.save(tiny(1));
        store.save(tiny(2));
        store.save(tiny(3));
        byte[] b3 = Files.readAllBytes(store.pathFor(3));
        Files.write(store.pathFor(3), java.util.Arrays.copyOf(b3, b3.length / 2));
        byte[] b2 = Files.readAllBytes(store.pathFor(2));
        b2[b2.length - 3] ^= 4;
        Files.write(store.pathFor(2), b2);
        Files.writeString(tmp.resolve("checkpoint-notanumber.safetensors"), "ignored");
        LoadedCheckpoint l = store.loadLatest().orElseThrow();
        assertThat(l.checkpoint().step()).isEqualTo(1);
        assertThat(l.file()).isEqualTo(store.pathFor(1));
        assertThat(l.skipped()).hasSize(2);
        assertThat(l.skipped().get(0)).contains("checkpoint-3.safetensors").contains("truncated");
        assertThat(l.skipped().get(1)).contains("checkpoint-2.safetensors").contains("checksum mismatch");
        // a file whose name and content disagree is not trusted
        Files.copy(store.pathFor(1), store.pathFor(7));
        assertThat(store.loadLatest().orElseThrow().skipped().get(0)).contains("holds step 1 but is named for step 7");
        Files.delete(store.pathFor(1));
        Files.delete(store.pathFor(7));
        assertThat(catchThrowableOfType(CorruptModelFileException.class, store::loadLatest))
                .hasMessageContaining("none of the 2 checkpoint files loads").hasMessageContaining("checkpoint-3").hasMessageContaining("checkpoint-2");
    }
}
