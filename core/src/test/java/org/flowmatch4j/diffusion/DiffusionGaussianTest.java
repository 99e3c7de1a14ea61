package org.flowmatch4j.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.flowmatch4j.coupling.ExactOtCoupling;
import org.flowmatch4j.coupling.IndependentCoupling;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.MlpVelocityField;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.nn.FourierTimeEmbedding;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.path.VPScheduler;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Diffusion on Gaussian data x1 ~ N(μ, s²I), where the optimal ε-predictor, the samples and the density are known. */
class DiffusionGaussianTest {
    private static final double[] MU = {0.8, -0.5};
    private static final double S = 0.6;
    private static final VpSde SDE = new VpSde();
    private static final GaussianEpsilon OPTIMAL = new GaussianEpsilon(SDE.scheduler(), MU, S);

    /** W2 between equal-size point sets of dimension d by exact optimal assignment. */
    static double w2(float[] a, float[] b, int n, int d) {
        Tensor ta = Tensor.of(a, n, d);
        Tensor tb = Tensor.of(b, n, d);
        return Math.sqrt(new ExactOtCoupling().plan(ta, tb, null).meanSquaredDistance(ta, tb));
    }

    private static float[] reference(int n, long seed) {
        float[] x = new float[n * 2];
        new Rng(seed).fillNormal(x, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (MU[i % 2] + S * x[i]);
        }
        return x;
    }

    private static void assertMoments(String what, float[] x, int n) {
        for (int j = 0; j < 2; j++) {
            double m = 0;
            double q = 0;
            for (int i = 0; i < n; i++) {
                m += x[2 * i + j] / (double) n;
            }
            for (int i = 0; i < n; i++) {
                q += Math.pow(x[2 * i + j] - m, 2) / (n - 1);
            }
            // n = 1000: the standard error of the mean is 0.019, of the std 0.013
            assertThat(m).as("%s mean[%d]", what, j).isCloseTo(MU[j], within(0.07));
            assertThat(Math.sqrt(q)).as("%s std[%d]", what, j).isCloseTo(S, within(0.05));
        }
    }

    @Test
    void withTheOptimalPredictorSdeAndOdeSamplesMatchTheDataAndEachOther() {
        int n = 1000;
        DiffusionSampler sampler = new DiffusionSampler(SDE, OPTIMAL, EulerMaruyama.DEFAULT_T_EPS);
        DiffusionSamples sde = sampler.sampleSde(n, 1000, new Rng(1));
        DiffusionSamples ode = sampler.sampleOde(n, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(2));
        assertThat(sde.nfe()).isEqualTo(1001);
        assertMoments("SDE", sde.values(), n);
        assertMoments("ODE", ode.values(), n);
        float[] ref = reference(n, 3);
        double floor = w2(reference(n, 4), ref, n, 2);
        double wSde = w2(sde.values(), ref, n, 2);
        double wOde = w2(ode.values(), ref, n, 2);
        double wBoth = w2(sde.values(), ode.values(), n, 2);
        // measured: floor 0.108 (two draws from the data law), SDE 0.113, ODE 0.112 (NFE 50), SDE vs ODE 0.118
        assertThat(wSde).isLessThan(1.5 * floor);
        assertThat(wOde).isLessThan(1.5 * floor);
        assertThat(wBoth).isLessThan(1.5 * floor);
    }

    @Test
    void theProbabilityFlowJacobianIsTheClosedForm() {
        // with the optimal ε, v = ½β(x − (x − αμ)/V) with V = α²s² + σ², so ∂v/∂x = ½β(1 − 1/V)·I
        ProbabilityFlowField field = new ProbabilityFlowField(SDE, OPTIMAL, 1e-3);
        int rows = 5;
        float[] x = reference(rows, 7);
        float[] out = new float[rows * 2];
        float[][] tin = {new float[rows * 2], new float[rows * 2]};
        float[][] tout = {new float[rows * 2], new float[rows * 2]};
        new Rng(8).fillNormal(tin[0], 0, rows * 2);
        new Rng(9).fillNormal(tin[1], 0, rows * 2);
        for (double t : new double[] {0.0, 0.3, 0.7, 0.99, 1.0}) {
            field.velocityJvp(t, x, rows, out, tin, tout, 2);
            double tc = Math.min(t, 1 - 1e-3);
            double a = SDE.alpha(tc);
            double sg = SDE.sigma(tc);
            double v = a * a * S * S + sg * sg;
            double jac = 0.5 * SDE.beta(tc) * (1 - 1 / v);
            for (int i = 0; i < rows * 2; i++) {
                double ref = 0.5 * SDE.beta(tc) * (x[i] - (x[i] - a * MU[i % 2]) / v);
                assertThat((double) out[i]).as("v at t=%s", t).isCloseTo(ref, within(1e-4 * (1 + Math.abs(ref))));
                for (int j = 0; j < 2; j++) {
                    double tr = jac * tin[j][i];
                    assertThat((double) tout[j][i]).as("JVP at t=%s", t).isCloseTo(tr, within(1e-4 * (1 + Math.abs(tr))));
                }
            }
        }
    }

    /** The PF-ODE's JVP through a real ε-network agrees with central differences of its velocity. */
    @Test
    void theProbabilityFlowJvpThroughANetworkMatchesFiniteDifferences() {
        TimeMlp net = new TimeMlp(2, 32, 2, Activation.SILU, new FourierTimeEmbedding(8, 1.0, DType.FLOAT32, new Rng(30)),
                DType.FLOAT32, new Rng(31));
        ProbabilityFlowField field = new ProbabilityFlowField(SDE, new MlpVelocityField(net, 64, 2), 1e-3);
        int rows = 4;
        float[] x = reference(rows, 32);
        float[] out = new float[rows * 2];
        float[][] tin = {new float[rows * 2], new float[rows * 2]};
        float[][] tout = {new float[rows * 2], new float[rows * 2]};
        for (int r = 0; r < rows; r++) {
            tin[0][2 * r] = 1;
            tin[1][2 * r + 1] = 1;
        }
        float[] plus = new float[rows * 2];
        float[] minus = new float[rows * 2];
        float h = 1e-2f;
        for (double t : new double[] {0.1, 0.5, 0.9}) {
            field.velocityJvp(t, x, rows, out, tin, tout, 2);
            for (int j = 0; j < 2; j++) {
                float[] xp = x.clone();
                float[] xm = x.clone();
                for (int r = 0; r < rows; r++) {
                    xp[2 * r + j] += h;
                    xm[2 * r + j] -= h;
                }
                field.velocity(t, xp, rows, plus);
                field.velocity(t, xm, rows, minus);
                for (int i = 0; i < rows * 2; i++) {
                    double fd = (plus[i] - minus[i]) / (2.0 * h);
                    assertThat((double) tout[j][i]).as("t=%s column %d entry %d", t, j, i).isCloseTo(fd, within(2e-3 * (1 + Math.abs(fd))));
                }
            }
        }
    }

    /**
     * The exact likelihood through the PF-ODE with the optimal predictor. The flow is affine: it maps
     * N(α_0μ, V_0·I) at t = 0 (V_t = α_t²s² + σ_t²) onto N(μ, s²I) at t = 1, so with the N(0, I) prior at t = 0 the
     * model's density is the pushforward {@code log N(x0; 0, I) + d·log(√V_0/s)}, {@code x0 = α_0μ + √V_0·(x − μ)/s};
     * that is checked tightly, and its distance from the data's own log N(x; μ, s²I) (from α_0 ≈ 0.0066) loosely.
     */
    @Test
    void exactLikelihoodThroughTheProbabilityFlowIsTheGaussianDensity() {
        int n = 40;
        float[] x = reference(n, 11);
        DiffusionSampler sampler = new DiffusionSampler(SDE, OPTIMAL, 1e-3);
        LikelihoodResult r = sampler.logProb(x, n, DormandPrince54.withTolerances(1e-7, 1e-7), DivergenceMethod.EXACT, 0, new Rng(0));
        double a0 = SDE.alpha(0.0);
        double v0 = a0 * a0 * S * S + Math.pow(SDE.sigma(0.0), 2);
        for (int i = 0; i < n; i++) {
            double push = 0;
            double data = 0;
            for (int j = 0; j < 2; j++) {
                double z = x[2 * i + j];
                double x0 = a0 * MU[j] + Math.sqrt(v0) * (z - MU[j]) / S;
                push += -0.5 * Math.log(2 * Math.PI) - 0.5 * x0 * x0 + Math.log(Math.sqrt(v0) / S);
                data += -0.5 * Math.log(2 * Math.PI * S * S) - 0.5 * Math.pow((z - MU[j]) / S, 2);
            }
            assertThat(r.logProb()[i]).as("point %d", i).isCloseTo(push, within(5e-4)); // measured max error 3.4e-5
            assertThat(r.logProb()[i]).as("point %d vs data density", i).isCloseTo(data, within(0.03));
        }
    }

    /** Relative RMS distance of a predictor from the optimum over points of p_t, at each t of a grid in [0.05, 0.95]. */
    private static double worstRelativeError(MlpVelocityField net) {
        int n = 1000;
        float[] x = new float[n * 2];
        float[] pred = new float[n * 2];
        double worst = 0;
        for (int k = 0; k <= 9; k++) {
            double t = 0.05 + 0.1 * k;
            Rng rng = new Rng(100 + k);
            float[] x1 = reference(n, 200 + k);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (SDE.alpha(t) * x1[i] + SDE.sigma(t) * rng.nextGaussian());
            }
            net.velocity(t, x, n, pred);
            double num = 0;
            double den = 0;
            for (int i = 0; i < x.length; i++) {
                double opt = OPTIMAL.value(t, x[i], i % 2);
                num += Math.pow(pred[i] - opt, 2);
                den += opt * opt;
            }
            worst = Math.max(worst, Math.sqrt(num / den));
        }
        return worst;
    }

    /**
     * ε-prediction DSM is the CFM loss on the VP path with the ε target. A Fourier time embedding and an EMA of the
     * weights are used: with t concatenated raw, the same network stays far from the optimum near the data end
     * (relative error ≈ 0.8 at t = 0.95, where the optimum's gain σ/(α²s² + σ²) falls steeply to 0).
     */
    @Test
    void denoisingScoreMatchingApproachesTheClosedFormOptimum() {
        TimeMlp net = new TimeMlp(2, 64, 2, Activation.SILU, new FourierTimeEmbedding(16, 1.0, DType.FLOAT32, new Rng(20)),
                DType.FLOAT32, new Rng(21));
        double before = worstRelativeError(new MlpVelocityField(net, 1024, 0));
        FlowMatchingTrainer trainer = new FlowMatchingTrainer(net, new AffinePath(new VPScheduler()), new IndependentCoupling(),
                PredictionTarget.EPSILON, new TrainingSettings(1500, 512, 2e-3, 0.99, 0, 22));
        trainer.train((rng, b, out) -> {
            for (int i = 0; i < b * 2; i++) {
                out[i] = (float) (MU[i % 2] + S * rng.nextGaussian());
            }
        }, List.of());
        trainer.ema().copyToParameters();
        double after = worstRelativeError(new MlpVelocityField(net, 1024, 0));
        // measured: untrained ≈ 1.0, trained ≈ 0.10 (worst at t = 0.95; ≤ 0.04 for t ≤ 0.9)
        assertThat(before).isGreaterThan(0.9);
        assertThat(after).isLessThan(0.2);
    }

    @Test
    void sameSeedSameSamplesAndEndTimesAreValidated() {
        DiffusionSampler sampler = new DiffusionSampler(SDE, OPTIMAL, 1e-3);
        assertThat(sampler.sampleSde(50, 20, new Rng(5)).values()).containsExactly(sampler.sampleSde(50, 20, new Rng(5)).values());
        assertThatThrownBy(() -> new EulerMaruyama(SDE, 10, 0.0, 1.0, true)).hasMessageContaining("t_end < 1");
        assertThatThrownBy(() -> new EulerMaruyama(SDE, 0, 0.0, 0.9, true)).hasMessageContaining("at least one step");
        assertThatThrownBy(() -> new DiffusionSampler(SDE, OPTIMAL, 0.0)).hasMessageContaining("t_eps");
    }

    @Test
    void eulerMaruyamaStepsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int n = 500;
        float[] x = new float[n * 2];
        EulerMaruyama few = EulerMaruyama.standard(SDE, 10);
        EulerMaruyama many = EulerMaruyama.standard(SDE, 1000);
        Rng rng = new Rng(1);
        long[] least = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int rep = 0; rep < 4; rep++) {
            EulerMaruyama[] ems = {few, many};
            for (int k = 0; k < 2; k++) {
                rng.fillNormal(x, 0, x.length);
                long before = mx.getThreadAllocatedBytes(id);
                ems[k].integrate(OPTIMAL, x, n, rng);
                least[k] = Math.min(least[k], mx.getThreadAllocatedBytes(id) - before);
            }
        }
        assertThat(least[1] - least[0]).as("extra bytes for 990 more steps").isLessThan(4096);
    }
}
