package org.flowmatch4j.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class LogLikelihoodTest {
    // v(t, x) = (1 + t)·(a·I + w·J)·x with J the 90° rotation: x(1) = e^{1.5a}·R(1.5w)·x(0), so a standard normal
    // source becomes N(0, e^{3a} I) and log p1(x) = −log 2π − 3a − |x|² e^{−3a} / 2 (the rotation has zero divergence)
    private static final double A = -0.4;
    private static final double W = 0.9;
    private static final LikelihoodDynamicsTest.LinearField FIELD =
            new LikelihoodDynamicsTest.LinearField(new double[][] {{A, -W}, {W, A}}, new double[] {0, 0});

    private static double exact(double x, double y) {
        return -Math.log(2 * Math.PI) - 3 * A - (x * x + y * y) * Math.exp(-3 * A) / 2;
    }

    private static float[] points(int n, long seed) {
        float[] p = new float[2 * n];
        new Rng(seed).fillNormal(p, 0, p.length);
        return p;
    }

    @Test
    void exactDivergenceRecoversTheClosedFormDensity() {
        float[] x = points(50, 1);
        LikelihoodResult r = LogLikelihood.compute(FIELD, x, 50, DormandPrince54.withTolerances(1e-9, 1e-9),
                DivergenceMethod.EXACT, 0, new Rng(0));
        for (int i = 0; i < 50; i++) {
            assertThat(r.logProb()[i]).isCloseTo(exact(x[2 * i], x[2 * i + 1]), within(1e-5));
        }
        assertThat(r.nfe()).isGreaterThan(6);
    }

    @Test
    void hutchinsonIsUnbiasedOverPoints() {
        int n = 2000;
        float[] x = points(n, 2);
        LikelihoodResult r = LogLikelihood.compute(FIELD, x, n, new RK4(20), DivergenceMethod.HUTCHINSON_RADEMACHER, 1, new Rng(4));
        double meanErr = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double e = r.logProb()[i] - exact(x[2 * i], x[2 * i + 1]);
            meanErr += e / n;
            sq += e * e / n;
        }
        double se = Math.sqrt((sq - meanErr * meanErr) / n);
        assertThat(Math.abs(meanErr)).isLessThan(4 * se + 1e-4);
    }

    @Test
    void theFlowOdeIntegratesTheSourceToTheData() {
        float[] x0 = points(3, 5);
        double[] y0 = new double[6];
        for (int i = 0; i < 6; i++) {
            y0[i] = x0[i];
        }
        OdeSolution s = DormandPrince54.withTolerances(1e-10, 1e-10).solve(new FlowOde(FIELD, 3), 0.0, y0, 1.0);
        double scale = Math.exp(1.5 * A);
        double c = Math.cos(1.5 * W);
        double sn = Math.sin(1.5 * W);
        for (int i = 0; i < 3; i++) {
            double ex = scale * (c * y0[2 * i] - sn * y0[2 * i + 1]);
            double ey = scale * (sn * y0[2 * i] + c * y0[2 * i + 1]);
            assertThat(s.state()[2 * i]).isCloseTo(ex, within(1e-6));
            assertThat(s.state()[2 * i + 1]).isCloseTo(ey, within(1e-6));
        }
    }

    @Test
    void dimensionMismatchIsNamed() {
        assertThatThrownBy(() -> LogLikelihood.compute(FIELD, new float[9], 3, new RK4(4), DivergenceMethod.EXACT, 0, new Rng(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model's dimension is 2");
    }
}
