package org.flowmatch4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FusedMlp#mseStepAndUpdate}: the training step with Adam overlapped on the backward pass gives, to the bit,
 * what {@link FusedMlp#mseStep} followed by {@link Adam#step()} gives, whatever the layout, thread count or
 * scheduling, and updates nothing when the loss is not finite.
 */
class FusedTrainingStepTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** A network, its fused pass and its Adam, made with the thread count current at construction. */
    private static final class Run {
        final Mlp mlp;
        final FusedMlp pass;
        final Adam adam;

        Run(boolean featureMajor, int batch, int hidden) {
            mlp = new Mlp(5, hidden, 3, 3, Activation.SILU, DType.FLOAT32, new Rng(42));
            pass = new FusedMlp(mlp, batch, featureMajor);
            adam = new Adam(mlp.parameters(), 1e-2);
        }

        void input(Tensor x) {
            System.arraycopy(x.floatData(), 0, pass.input(), 0, x.numel());
        }

        List<float[]> params() {
            List<float[]> out = new ArrayList<>();
            for (Var p : mlp.parameters()) {
                out.add(p.value().floatData().clone());
            }
            return out;
        }
    }

    private static void assertSameParams(String what, List<float[]> a, List<float[]> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).as("%s: parameter #%d", what, i).isEqualTo(b.get(i));
        }
    }

    /** Steps both ways for several thread counts and both layouts; {@code inline}: the overlapped step on one thread. */
    private static void check(boolean featureMajor, int threads, int batch, int hidden, boolean inline) {
        Parallel.setThreads(threads);
        Run ref = new Run(featureMajor, batch, hidden);
        Run fused = new Run(featureMajor, batch, hidden);
        Rng data = new Rng(7);
        String label = (featureMajor ? "feature-major" : "row-major") + " threads " + threads + " batch " + batch
                + (inline ? " inline" : "");
        for (int step = 0; step < 12; step++) {
            Tensor x = data.normal(DType.FLOAT32, batch, 5);
            Tensor y = data.normal(DType.FLOAT32, batch, 3);
            ref.input(x);
            fused.input(x);
            double lossRef = ref.pass.mseStep(y.floatData());
            ref.adam.step();
            double[] loss = new double[1];
            if (inline) {
                // the pool is held: the pass's chunks run one after the other on this thread
                Parallel.serially(() -> loss[0] = fused.pass.mseStepAndUpdate(y.floatData(), fused.adam));
            } else {
                loss[0] = fused.pass.mseStepAndUpdate(y.floatData(), fused.adam);
            }
            assertThat(loss[0]).as("%s step %d loss", label, step).isEqualTo(lossRef);
            assertSameParams(label + " step " + step, fused.params(), ref.params());
            assertThat(fused.adam.steps()).isEqualTo(ref.adam.steps());
        }
    }

    @Test
    void overlappedStepEqualsStepThenAdamBitForBit() {
        for (boolean featureMajor : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 2, 3}) {
                check(featureMajor, threads, 70, 40, false);
            }
            check(featureMajor, 2, 70, 40, true);
        }
        // the benchmark's shape: several update slices per layer
        check(true, 2, 256, 256, false);
    }

    /** Writes rows of x and y into a pass's input and a target in {@code parts} parts, counting each part's runs. */
    private static final class RowWriter implements BatchWriter {
        final int parts;
        final FusedMlp pass;
        final float[] target;
        final java.util.concurrent.atomic.AtomicIntegerArray runs;
        Tensor x;
        Tensor y;
        int failing = -1;

        RowWriter(int parts, FusedMlp pass, float[] target) {
            this.parts = parts;
            this.pass = pass;
            this.target = target;
            this.runs = new java.util.concurrent.atomic.AtomicIntegerArray(Math.max(0, parts));
        }

        @Override
        public int parts() {
            return parts;
        }

        @Override
        public void write(int c) {
            runs.incrementAndGet(c);
            if (c == failing) {
                throw new IllegalStateException("part " + c + " failed");
            }
            int batch = pass.batch();
            int r0 = batch * c / parts;
            int r1 = batch * (c + 1) / parts;
            System.arraycopy(x.floatData(), r0 * 5, pass.input(), r0 * 5, (r1 - r0) * 5);
            System.arraycopy(y.floatData(), r0 * 3, target, r0 * 3, (r1 - r0) * 3);
        }
    }

    /**
     * The batch written by a {@link BatchWriter} inside the pass gives, to the bit, the step on the batch written
     * before it, every part running exactly once, for more or fewer parts than threads and on one thread.
     */
    @Test
    void aBatchWrittenInsideThePassGivesTheSameStep() {
        for (boolean featureMajor : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 2, 3}) {
                for (int parts : new int[] {1, 2, 5}) {
                    for (boolean inline : new boolean[] {false, true}) {
                        Parallel.setThreads(threads);
                        int batch = 70;
                        Run ref = new Run(featureMajor, batch, 40);
                        Run fused = new Run(featureMajor, batch, 40);
                        float[] target = new float[batch * 3];
                        RowWriter writer = new RowWriter(parts, fused.pass, target);
                        Rng data = new Rng(11);
                        String label = (featureMajor ? "feature-major" : "row-major") + " threads " + threads + " parts "
                                + parts + (inline ? " inline" : "");
                        for (int step = 0; step < 4; step++) {
                            writer.x = data.normal(DType.FLOAT32, batch, 5);
                            writer.y = data.normal(DType.FLOAT32, batch, 3);
                            ref.input(writer.x);
                            double lossRef = ref.pass.mseStepAndUpdate(writer.y.floatData(), ref.adam);
                            double[] loss = new double[1];
                            if (inline) {
                                Parallel.serially(() -> loss[0] = fused.pass.mseStepAndUpdate(writer, target, fused.adam));
                            } else {
                                loss[0] = fused.pass.mseStepAndUpdate(writer, target, fused.adam);
                            }
                            assertThat(loss[0]).as("%s step %d loss", label, step).isEqualTo(lossRef);
                            assertSameParams(label + " step " + step, fused.params(), ref.params());
                            for (int c = 0; c < parts; c++) {
                                assertThat(writer.runs.get(c)).as("%s: runs of part %d", label, c).isEqualTo(step + 1);
                            }
                        }
                    }
                }
            }
        }
    }

    /** A part that throws stops the step: the exception reaches the caller, nothing is updated, the next step is whole. */
    @Test
    void aFailingBatchPartUpdatesNothing() {
        for (boolean featureMajor : new boolean[] {true, false}) {
            Parallel.setThreads(2);
            int batch = 64;
            Run ref = new Run(featureMajor, batch, 32);
            Run run = new Run(featureMajor, batch, 32);
            float[] target = new float[batch * 3];
            RowWriter writer = new RowWriter(4, run.pass, target);
            Rng data = new Rng(5);
            writer.x = data.normal(DType.FLOAT32, batch, 5);
            writer.y = data.normal(DType.FLOAT32, batch, 3);
            List<float[]> before = run.params();
            for (int failing : new int[] {0, 3}) {
                writer.failing = failing;
                assertThatThrownBy(() -> run.pass.mseStepAndUpdate(writer, target, run.adam))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("part " + failing + " failed");
                assertSameParams("after a failed part", run.params(), before);
                assertThat(run.adam.steps()).isZero();
            }
            writer.failing = -1;
            run.pass.mseStepAndUpdate(writer, target, run.adam);
            ref.input(writer.x);
            ref.pass.mseStepAndUpdate(writer.y.floatData(), ref.adam);
            assertSameParams("the step after the failures", run.params(), ref.params());
            assertThatThrownBy(() -> run.pass.mseStepAndUpdate(new RowWriter(-1, run.pass, target), target, run.adam))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
            assertThat(run.adam.steps()).isEqualTo(1);
        }
    }

    @Test
    void aNonFiniteLossUpdatesNothing() {
        Parallel.setThreads(2);
        Run run = new Run(true, 64, 32);
        Rng data = new Rng(3);
        Tensor x = data.normal(DType.FLOAT32, 64, 5);
        Tensor y = data.normal(DType.FLOAT32, 64, 3);
        run.input(x);
        run.pass.mseStepAndUpdate(y.floatData(), run.adam);
        List<float[]> before = run.params();
        float[] bad = y.floatData().clone();
        bad[100] = Float.NaN;
        run.input(x);
        assertThat(run.pass.mseStepAndUpdate(bad, run.adam)).isNaN();
        assertSameParams("after a NaN loss", run.params(), before);
        assertThat(run.adam.steps()).isEqualTo(1);
        // and the next finite step is a normal one
        run.input(x);
        assertThat(run.pass.mseStepAndUpdate(y.floatData(), run.adam)).isFinite();
        assertThat(run.adam.steps()).isEqualTo(2);
    }

    @Test
    void theUpdateMustHoldExactlyTheMlpParameters() {
        Run run = new Run(true, 16, 8);
        float[] target = new float[16 * 3];
        List<Var> ps = run.mlp.parameters();
        Adam some = new Adam(ps.subList(0, ps.size() - 1), 1e-3);
        assertThatThrownBy(() -> run.pass.mseStepAndUpdate(target, some)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly the MLP's parameters");
        List<Var> more = new ArrayList<>(ps);
        more.add(Var.param(Tensor.zeros(DType.FLOAT32, 2)));
        Adam extra = new Adam(more, 1e-3);
        assertThatThrownBy(() -> run.pass.mseStepAndUpdate(target, extra)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has " + more.size() + " parameters");
        assertThatThrownBy(() -> run.pass.mseStepAndUpdate(new float[3], run.adam)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target has 3 values");
        // in another order is fine
        List<Var> reversed = new ArrayList<>(ps);
        java.util.Collections.reverse(reversed);
        assertThat(run.pass.mseStepAndUpdate(target, new Adam(reversed, 1e-3))).isFinite();
    }
}
