package org.flowmatch4j.fm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.flowmatch4j.coupling.CouplingPlan;
import org.flowmatch4j.coupling.ExactOtCoupling;
import org.flowmatch4j.coupling.IndependentCoupling;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.FlowOde;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.CondOTScheduler;
import org.flowmatch4j.path.GaussianPath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.LossLog;
import org.junit.jupiter.api.Test;

class FlowMatchingTrainerTest {
    /** W2 between equal-size point sets by exact optimal assignment: sqrt(mean squared distance of the pairs). */
    static double w2(float[] a, float[] b, int n) {
        Tensor ta = Tensor.of(a, n, 2);
        Tensor tb = Tensor.of(b, n, 2);
        CouplingPlan p = new ExactOtCoupling().plan(ta, tb, null);
        return Math.sqrt(p.meanSquaredDistance(ta, tb));
    }

    static float[] sample(TimeMlp net, int n, long seed) {
        MlpVelocityField field = new MlpVelocityField(net, 1024, 0);
        float[] x0 = new float[n * 2];
        new Rng(seed).fillNormal(x0, 0, x0.length);
        double[] y0 = new double[n * 2];
        for (int i = 0; i < y0.length; i++) {
            y0[i] = x0[i];
        }
        OdeSolution s = new RK4(50).solve(new FlowOde(field, n), 0.0, y0, 1.0);
        float[] out = new float[n * 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) s.state()[i];
        }
        return out;
    }

    @Test
    void trainingOnEightGaussiansProducesSamplesCloseToHeldOutData() {
        Dataset train = ToyDatasets.generate("8gaussians", 20000, new Rng(1));
        Dataset test = ToyDatasets.generate("8gaussians", 1000, new Rng(2));
        for (boolean ot : new boolean[] {false, true}) {
            TimeMlp net = new TimeMlp(2, 64, 3, Activation.SELU, new ConcatTime(), DType.FLOAT32, new Rng(3));
            FlowMatchingTrainer trainer = new FlowMatchingTrainer(net, new GaussianPath(0.1),
                    ot ? new ExactOtCoupling() : new IndependentCoupling(), PredictionTarget.VELOCITY,
                    new TrainingSettings(2500, 256, 1e-3, 0, 0, 7));
            LossLog log = new LossLog();
            trainer.train(train::sampleBatch, List.of(log));
            assertThat(log.size()).isEqualTo(2500);
            assertThat(log.meanOfLast(200)).isLessThan(log.meanOfLast(2500));
            double w = w2(sample(net, 1000, 11), test.toArray(), 1000);
            // untrained (v = 0, samples = source) gives ≈ 1.3; 2500 steps reach ≈ 0.59 (independent) and ≈ 0.38 (exact OT)
            assertThat(w).as("W2 with %s coupling", ot ? "exact-OT" : "independent").isLessThan(ot ? 0.5 : 0.75);
        }
    }

    @Test
    void sameSeedGivesIdenticalParameters() {
        Dataset train = ToyDatasets.generate("moons", 2000, new Rng(1));
        float[][] runs = new float[2][];
        for (int k = 0; k < 2; k++) {
            TimeMlp net = new TimeMlp(2, 32, 2, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(5));
            new FlowMatchingTrainer(net, new AffinePath(new CondOTScheduler()), new ExactOtCoupling(), PredictionTarget.VELOCITY,
                    new TrainingSettings(100, 64, 1e-3, 0.99, 1.0, 9)).train(train::sampleBatch, List.of());
            runs[k] = net.mlp().layers().get(0).weight().value().floatData().clone();
        }
        assertThat(runs[1]).containsExactly(runs[0]);
    }

    @Test
    void aDivergingRunStopsWithAMessage() {
        TimeMlp net = new TimeMlp(2, 16, 1, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(5));
        FlowMatchingTrainer t = new FlowMatchingTrainer(net, new AffinePath(new CondOTScheduler()), new IndependentCoupling(),
                PredictionTarget.VELOCITY, new TrainingSettings(10, 8, 1e-3, 0, 0, 1));
        assertThatThrownBy(() -> t.train((rng, b, out) -> java.util.Arrays.fill(out, Float.NaN), List.of()))
                .hasMessageContaining("diverged at step 1");
    }

    @Test
    void nonVelocityTargetsNeedAnAffinePath() {
        TimeMlp net = new TimeMlp(2, 16, 1, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(5));
        assertThatThrownBy(() -> new FlowMatchingTrainer(net, new GaussianPath(0.1), new IndependentCoupling(),
                PredictionTarget.X1, new TrainingSettings(10, 8, 1e-3, 0, 0, 1))).hasMessageContaining("affine path");
    }
}
