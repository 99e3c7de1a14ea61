package org.flowmatch4j.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.path.VPScheduler;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class VpSdeTest {
    private static final VpSde SDE = new VpSde();

    @Test
    void betaRunsFromBetaMaxAtTheNoiseEndToBetaMinAtTheDataEnd() {
        assertThat(SDE.beta(0.0)).isEqualTo(20.0);
        assertThat(SDE.beta(1.0)).isCloseTo(0.1, within(1e-15));
        assertThat(SDE.beta(0.25)).isCloseTo(0.1 + 19.9 * 0.75, within(1e-12));
        assertThat(SDE.diffusion(0.25)).isCloseTo(Math.sqrt(SDE.beta(0.25)), within(1e-15));
        assertThat(SDE.forwardDriftCoefficient(0.75)).isCloseTo(-0.5 * SDE.beta(0.25), within(1e-15));
    }

    /**
     * The forward SDE's moments reproduce the scheduler's path: in s = 1 − t the mean obeys dm/ds = f·m and the
     * variance of the noise part dv/ds = 2f·v + g², so in t: α'_t = −f(1−t)·α_t and 2σ_t·σ'_t = −(2f(1−t)·σ_t² + g²);
     * both checked against the scheduler's derivatives and against central differences of α_t, σ_t.
     */
    @Test
    void theForwardSdeHasTheVpPathAsItsMarginals() {
        VPScheduler sch = SDE.scheduler();
        for (double t = 0.0; t <= 0.99; t += 0.03) {
            double f = SDE.forwardDriftCoefficient(1.0 - t);
            double g2 = SDE.diffusion(t) * SDE.diffusion(t);
            double a = sch.alpha(t);
            double sg = sch.sigma(t);
            double alphaDot = -f * a;
            double varDot = -(2 * f * sg * sg + g2);
            assertThat(sch.alphaDot(t)).as("alpha' at t=%s", t).isCloseTo(alphaDot, within(1e-12 + 1e-10 * Math.abs(alphaDot)));
            assertThat(2 * sg * sch.sigmaDot(t)).as("(sigma^2)' at t=%s", t).isCloseTo(varDot, within(1e-12 + 1e-10 * Math.abs(varDot)));
            double h = 1e-6;
            double lo = Math.max(0.0, t - h);
            double hi = t + h;
            double fdAlpha = (sch.alpha(hi) - sch.alpha(lo)) / (hi - lo);
            double fdVar = (Math.pow(sch.sigma(hi), 2) - Math.pow(sch.sigma(lo), 2)) / (hi - lo);
            assertThat(fdAlpha).as("finite-difference alpha' at t=%s", t).isCloseTo(alphaDot, within(1e-5 * (1 + Math.abs(alphaDot))));
            assertThat(fdVar).as("finite-difference (sigma^2)' at t=%s", t).isCloseTo(varDot, within(1e-5 * (1 + Math.abs(varDot))));
        }
    }

    @Test
    void probabilityFlowVelocityIsTheAffinePathsEpsilonToVelocityConversion() {
        AffinePath path = new AffinePath(new VPScheduler());
        int b = 64;
        int d = 3;
        Rng rng = new Rng(3);
        Tensor x = rng.normal(DType.FLOAT32, b, d);
        Tensor eps = rng.normal(DType.FLOAT32, b, d);
        for (double t : new double[] {0.0, 1e-3, 0.1, 0.37, 0.5, 0.8, 0.95, 0.999}) {
            Tensor v = path.convert(eps, PredictionTarget.EPSILON, PredictionTarget.VELOCITY, x, Tensor.full(DType.FLOAT32, t, 1));
            float[] mine = new float[b * d];
            SDE.probabilityFlowVelocity(t, x.floatData(), eps.floatData(), b * d, mine);
            for (int i = 0; i < b * d; i++) {
                double ref = v.getDouble(i);
                assertThat((double) mine[i]).as("t=%s i=%s", t, i).isCloseTo(ref, within(1e-5 * (1 + Math.abs(ref))));
            }
        }
    }

    @Test
    void reverseDriftIsMinusForwardDriftPlusGSquaredTimesTheScore() {
        Rng rng = new Rng(5);
        int n = 40;
        float[] x = new float[n];
        float[] eps = new float[n];
        rng.fillNormal(x, 0, n);
        rng.fillNormal(eps, 0, n);
        float[] drift = new float[n];
        float[] score = new float[n];
        float[] pf = new float[n];
        for (double t : new double[] {0.0, 0.2, 0.6, 0.99}) {
            SDE.reverseDrift(t, x, eps, n, drift);
            SDE.score(t, eps, n, score);
            SDE.probabilityFlowVelocity(t, x, eps, n, pf);
            double g2 = Math.pow(SDE.diffusion(t), 2);
            double f = SDE.forwardDriftCoefficient(1.0 - t);
            for (int i = 0; i < n; i++) {
                assertThat((double) score[i]).isCloseTo(-eps[i] / SDE.sigma(t), within(1e-5 * (1 + Math.abs(score[i]))));
                double ref = -f * x[i] + g2 * score[i];
                assertThat((double) drift[i]).as("reverse drift t=%s", t).isCloseTo(ref, within(1e-4 * (1 + Math.abs(ref))));
                // the PF-ODE carries half the g²·score of the reverse SDE
                double pfRef = -f * x[i] + 0.5 * g2 * score[i];
                assertThat((double) pf[i]).as("PF velocity t=%s", t).isCloseTo(pfRef, within(1e-4 * (1 + Math.abs(pfRef))));
            }
        }
    }

    @Test
    void theScoreIsRefusedWhereTheMarginalHasNoNoiseAndTimesOutsideTheUnitInterval() {
        float[] a = new float[2];
        assertThatThrownBy(() -> SDE.score(1.0, a, 2, a)).hasMessageContaining("sigma_t = 0").hasMessageContaining("t_eps");
        assertThatThrownBy(() -> SDE.beta(1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new VpSde(null)).hasMessageContaining("null");
    }
}
