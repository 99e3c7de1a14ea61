package org.flowmatch4j.fm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.coupling.Coupling;
import org.flowmatch4j.coupling.CouplingPlan;
import org.flowmatch4j.coupling.ExactOtCoupling;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.path.GaussianPath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exact-OT plans solved ahead on worker threads change nothing: the parameters, losses and generator state equal
 * those of a trainer that solves each batch's plan at its step (same thread count), a run stopped early hands the
 * batches drawn ahead back to the generator, and a coupling failure on a worker surfaces as itself.
 */
class CouplingPrefetcherTest {
    private static final Dataset DATA = ToyDatasets.generate("8gaussians", 4000, new Rng(2));
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    /** Exact OT without a worker copy: the trainer must solve it at each step, on its own thread. */
    private static final class AtEachStep implements Coupling {
        private final ExactOtCoupling inner = new ExactOtCoupling();

        @Override
        public CouplingPlan plan(Tensor x0, Tensor x1, Rng rng) {
            return inner.plan(x0, x1, rng);
        }

        @Override
        public String name() {
            return "exact-ot-at-each-step";
        }
    }

    private static FlowMatchingTrainer trainer(Coupling coupling, long steps) {
        TimeMlp net = new TimeMlp(2, 32, 2, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(4));
        // a Gaussian path draws noise every step, so a misplaced draw would show
        return new FlowMatchingTrainer(net, new GaussianPath(0.1), coupling, PredictionTarget.VELOCITY,
                new TrainingSettings(steps, 128, 2e-3, 0.9, 0, 11));
    }

    private static double[] parameters(FlowMatchingTrainer t) {
        List<Double> all = new ArrayList<>();
        for (Tensor x : t.network().stateDict().values()) {
            for (double v : x.toDoubleArray()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<Double> losses(FlowMatchingTrainer t, long stopAt) {
        List<Double> out = new ArrayList<>();
        t.train(DATA::sampleBatch, List.of(new TrainingListener() {
            @Override
            public void onStep(StepInfo info) {
                out.add(info.loss());
            }

            @Override
            public boolean stopRequested() {
                return out.size() == stopAt;
            }
        }));
        return out;
    }

    @Test
    void plansSolvedAheadGiveTheSameRunAsPlansSolvedAtEachStep() {
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            FlowMatchingTrainer ahead = trainer(new ExactOtCoupling(), 40);
            FlowMatchingTrainer serial = trainer(new AtEachStep(), 40);
            List<Double> a = losses(ahead, -1);
            List<Double> s = losses(serial, -1);
            assertThat(a).hasSize(40).isEqualTo(s);
            assertThat(parameters(ahead)).isEqualTo(parameters(serial));
            assertThat(ahead.rng().state()).isEqualTo(serial.rng().state());
        }
    }

    @Test
    void aRunStoppedEarlyContinuesAsIfNeverStopped() {
        Parallel.setThreads(2);
        FlowMatchingTrainer whole = trainer(new ExactOtCoupling(), 30);
        List<Double> all = losses(whole, -1);
        FlowMatchingTrainer split = trainer(new ExactOtCoupling(), 30);
        List<Double> first = losses(split, 12);
        assertThat(first).hasSize(12);
        // the generator is back at the state before the first batch drawn ahead but not trained on
        List<Double> rest = losses(split, -1);
        first.addAll(rest);
        assertThat(first).isEqualTo(all);
        assertThat(parameters(split)).isEqualTo(parameters(whole));
    }

    @Test
    void aCouplingFailureOnAWorkerSurfacesAsItself() {
        Parallel.setThreads(2);
        FlowMatchingTrainer t = trainer(new ExactOtCoupling(), 10);
        int[] calls = {0};
        assertThatThrownBy(() -> t.train((rng, batch, out) -> {
            DATA.sampleBatch(rng, batch, out);
            if (++calls[0] == 3) {
                out[5] = Float.NaN;
            }
        }, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x1").hasMessageContaining("NaN");
    }
}
