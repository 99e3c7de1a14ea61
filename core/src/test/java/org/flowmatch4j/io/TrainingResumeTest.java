package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.coupling.ExactOtCoupling;
import org.flowmatch4j.coupling.IndependentCoupling;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.CondOTScheduler;
import org.flowmatch4j.path.GaussianPath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.LossLog;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint and resume of a real Flow Matching trainer: a run stopped and resumed from a checkpoint reaches
 * the same bits as one that was never stopped, mismatches are refused before anything changes, and a real
 * divergence leaves only finite checkpoints behind.
 */
class TrainingResumeTest {
    @TempDir
    Path tmp;

    private static final Dataset DATA = ToyDatasets.generate("moons", 2000, new Rng(1));
    private static final String CONFIG = "{\"run\": \"resume-test\"}";

    /** A trainer whose every step uses the generator four ways: batch, x0/t, the OT coupling's tie-breaks and the Gaussian path's noise. */
    private static FlowMatchingTrainer trainer(long steps, double ema, int hidden) {
        TimeMlp net = new TimeMlp(2, hidden, 2, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(5));
        return new FlowMatchingTrainer(net, new GaussianPath(0.1), new ExactOtCoupling(), PredictionTarget.VELOCITY,
                new TrainingSettings(steps, 64, 2e-3, ema, 1.0, 9));
    }

    private static LossLog run(FlowMatchingTrainer t, TrainingListener... more) {
        LossLog log = new LossLog();
        List<TrainingListener> ls = new ArrayList<>();
        ls.add(log);
        ls.addAll(List.of(more));
        t.train(DATA::sampleBatch, ls);
        return log;
    }

    /** Every number of the trainer's state, in a fixed order. */
    private static double[] state(FlowMatchingTrainer t) {
        List<Tensor> all = new ArrayList<>(t.network().stateDict().values());
        all.addAll(t.optimizer().state().values());
        all.addAll(t.ema().shadow());
        int n = 0;
        for (Tensor x : all) {
            n += x.numel();
        }
        double[] out = new double[n + 4];
        int k = 0;
        for (Tensor x : all) {
            for (int i = 0; i < x.numel(); i++) {
                out[k++] = x.getDouble(i);
            }
        }
        long[] rs = t.rng().state();
        out[k++] = Double.longBitsToDouble(rs[0]);
        out[k++] = rs[1];
        out[k++] = Double.longBitsToDouble(rs[2]);
        out[k] = t.optimizer().steps();
        return out;
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOneBitForBit() throws IOException {
        FlowMatchingTrainer whole = trainer(60, 0.9, 16);
        LossLog wholeLog = run(whole);

        // the same run stopped after 45 steps (checkpoints at 20, 40 and the end, 45; keep 2)
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        FlowMatchingTrainer first = trainer(45, 0.9, 16);
        LossLog firstLog = new LossLog();
        CheckpointListener ck = new CheckpointListener(store, 20, first, CONFIG, firstLog);
        first.train(DATA::sampleBatch, List.of(firstLog, ck));
        assertThat(store.steps()).containsExactly(40L, 45L);
        assertThat(ck.lastSaved()).isEqualTo(store.pathFor(45));

        for (long from : new long[] {45, 40}) {
            Checkpoint c = Checkpoint.load(store.pathFor(from));
            assertThat(c.config().string("run")).isEqualTo("resume-test");
            FlowMatchingTrainer resumed = trainer(60, 0.9, 16);
            LossLog log = new LossLog();
            CheckpointListener.resume(c, resumed, log);
            assertThat(resumed.step()).isEqualTo(from);
            assertThat(resumed.elapsedSeconds()).isPositive();
            assertThat(log.size()).isEqualTo((int) from);
            run(resumed);
            assertThat(state(resumed)).as("resumed from step %d", from).isEqualTo(state(whole));
            // the log restored from the checkpoint plus the new records is the uninterrupted run's log
            LossLog after = new LossLog();
            CheckpointListener.resume(Checkpoint.load(store.pathFor(from)), trainer(60, 0.9, 16), after);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.step(i)).isEqualTo(wholeLog.step(i));
                assertThat(after.loss(i)).isEqualTo(wholeLog.loss(i));
            }
        }
    }

    @Test
    void aTrainerAtItsLastStepTakesNoStepAndCallsNoOnEnd() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        FlowMatchingTrainer t = trainer(5, 0, 8);
        LossLog log = new LossLog();
        t.train(DATA::sampleBatch, List.of(log, new CheckpointListener(store, 100, t, CONFIG, log)));
        FlowMatchingTrainer again = trainer(5, 0, 8);
        CheckpointListener.resume(store.loadLatest().orElseThrow().checkpoint(), again, null);
        boolean[] ended = {false};
        assertThat(again.train(DATA::sampleBatch, List.of(new TrainingListener() {
            @Override
            public void onStep(org.flowmatch4j.train.StepInfo info) {
                throw new AssertionError("no step expected");
            }

            @Override
            public void onEnd(org.flowmatch4j.train.StepInfo last) {
                ended[0] = true;
            }
        }))).isNull();
        assertThat(ended[0]).isFalse();
    }

    @Test
    void mismatchesAreRefusedBeforeAnythingChanges() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        FlowMatchingTrainer t = trainer(10, 0.9, 16);
        LossLog log = new LossLog();
        t.train(DATA::sampleBatch, List.of(log, new CheckpointListener(store, 10, t, CONFIG, log)));
        Checkpoint c = store.loadLatest().orElseThrow().checkpoint();

        FlowMatchingTrainer noEma = trainer(20, 0, 16);
        double[] before = noEma.network().stateDict().values().iterator().next().toDoubleArray();
        assertThatThrownBy(() -> CheckpointListener.resume(c, noEma, null)).hasMessageContaining("step 10")
                .hasMessageContaining("has an EMA of the weights but the run uses none");
        FlowMatchingTrainer wider = trainer(20, 0.9, 32);
        assertThatThrownBy(() -> CheckpointListener.resume(c, wider, new LossLog())).hasMessageContaining("step 10")
                .hasMessageContaining("expected float32[32, 3], saved float32[16, 3]");
        assertThat(noEma.network().stateDict().values().iterator().next().toDoubleArray()).isEqualTo(before);
        assertThat(wider.step()).isZero();
        assertThat(wider.optimizer().steps()).isZero();

        LossLog used = new LossLog();
        used.add(1, 1.0, 0.1);
        assertThatThrownBy(() -> CheckpointListener.resume(c, trainer(20, 0.9, 16), used)).hasMessageContaining("already holds 1 record");
        // a checkpoint without the log cannot refill one
        Checkpoint bare = new Checkpoint(c.step(), c.model(), c.optimizer(), c.optimizerSteps(), c.ema(), c.rngState(), c.configJson());
        assertThatThrownBy(() -> CheckpointListener.resume(bare, trainer(20, 0.9, 16), new LossLog())).hasMessageContaining("holds no loss log");
        // a log that does not end at the checkpoint's step is not trusted
        Map<String, Tensor> extra = new java.util.LinkedHashMap<>(c.extra());
        double[] steps = extra.get("log.step").doubleData().clone();
        steps[steps.length - 1] = 99;
        extra.put("log.step", Tensor.of(steps, steps.length));
        Checkpoint odd = new Checkpoint(c.step(), c.model(), c.optimizer(), c.optimizerSteps(), c.ema(), c.rngState(), c.configJson(), extra);
        assertThatThrownBy(() -> CheckpointListener.resume(odd, trainer(20, 0.9, 16), new LossLog())).hasMessageContaining("record 9 has step 99");
        // the listener itself refuses a log that lags behind the trainer (wrong listener order)
        FlowMatchingTrainer wrongOrder = trainer(3, 0, 8);
        LossLog late = new LossLog();
        assertThatThrownBy(() -> wrongOrder.train(DATA::sampleBatch, List.of(new CheckpointListener(new CheckpointStore(tmp.resolve("other"), 2), 1, wrongOrder, CONFIG, late), late)))
                .hasMessageContaining("put the LossLog before the CheckpointListener");
    }

    @Test
    void aRealDivergenceStopsTheRunAndKeepsOnlyFiniteCheckpoints() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        TimeMlp net = new TimeMlp(2, 16, 2, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(5));
        // a learning rate of 1e18 moves every weight by ~1e18 per step: activations and gradients overflow float32 within a few steps
        FlowMatchingTrainer t = new FlowMatchingTrainer(net, new AffinePath(new CondOTScheduler()), new IndependentCoupling(),
                PredictionTarget.VELOCITY, new TrainingSettings(1000, 64, 1e18, 0, 0, 3));
        LossLog log = new LossLog();
        CheckpointListener ck = new CheckpointListener(store, 1, t, CONFIG, log);
        TrainingDivergedException e = catchThrowableOfType(TrainingDivergedException.class, () -> t.train(DATA::sampleBatch, List.of(log, ck)));
        assertThat(e).isNotNull().hasMessageContaining("diverged at step " + e.step());
        assertThat(e.step()).isGreaterThan(1).isLessThan(1000);
        LoadedCheckpoint last = store.loadLatest().orElseThrow();
        assertThat(last.checkpoint().step()).isEqualTo(e.step() - 1);
        assertThat(last.file()).isEqualTo(ck.lastSaved());
        for (Tensor x : last.checkpoint().model().values()) {
            for (double v : x.toDoubleArray()) {
                assertThat(Double.isFinite(v)).isTrue();
            }
        }
    }
}
