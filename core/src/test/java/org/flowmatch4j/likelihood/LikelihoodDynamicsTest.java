package org.flowmatch4j.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class LikelihoodDynamicsTest {
    /** v(t, x) = (1 + t)·A·x + c: Jacobian (1 + t)A, divergence (1 + t)·tr(A). */
    static final class LinearField implements VelocityField {
        final double[][] a;
        final double[] c;

        LinearField(double[][] a, double[] c) {
            this.a = a;
            this.c = c;
        }

        @Override
        public int dim() {
            return c.length;
        }

        @Override
        public void velocity(double t, float[] x, int rows, float[] out) {
            velocityJvp(t, x, rows, out, new float[0][], new float[0][], 0);
        }

        @Override
        public void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count) {
            int d = dim();
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    double s = c[i];
                    for (int j = 0; j < d; j++) {
                        s += (1 + t) * a[i][j] * x[r * d + j];
                    }
                    out[r * d + i] = (float) s;
                    for (int k = 0; k < count; k++) {
                        double u = 0;
                        for (int j = 0; j < d; j++) {
                            u += (1 + t) * a[i][j] * tanIn[k][r * d + j];
                        }
                        tanOut[k][r * d + i] = (float) u;
                    }
                }
            }
        }

        @Override
        public int maxTangents() {
            return 64;
        }
    }

    private static final double[][] A = {{0.5, -1.0, 0.2}, {0.3, -0.25, 0.0}, {0.1, 0.4, 1.5}};
    private static final double TRACE = 0.5 - 0.25 + 1.5;

    @Test
    void exactDivergenceIsTheTraceAndTheVelocityIsPassedThrough() {
        LinearField f = new LinearField(A, new double[] {1, 2, 3});
        LikelihoodDynamics dyn = new LikelihoodDynamics(f, 4, DivergenceMethod.EXACT, 0, new Rng(0));
        Rng rng = new Rng(5);
        float[] pts = new float[12];
        rng.fillNormal(pts, 0, 12);
        double[] y = dyn.initialState(pts);
        double[] dy = new double[dyn.dimension()];
        dyn.derivative(0.5, y, dy);
        for (int r = 0; r < 4; r++) {
            assertThat(dy[12 + r]).isCloseTo(1.5 * TRACE, within(1e-5));
            for (int i = 0; i < 3; i++) {
                double v = 1 + i;
                for (int j = 0; j < 3; j++) {
                    v += 1.5 * A[i][j] * pts[r * 3 + j];
                }
                assertThat(dy[r * 3 + i]).isCloseTo(v, within(1e-5));
            }
        }
        assertThat(dyn.evaluations()).isEqualTo(1);
    }

    @Test
    void hutchinsonIsUnbiasedWithinItsStandardError() {
        for (DivergenceMethod m : new DivergenceMethod[] {DivergenceMethod.HUTCHINSON_RADEMACHER, DivergenceMethod.HUTCHINSON_GAUSSIAN}) {
            LinearField f = new LinearField(A, new double[] {0, 0, 0});
            int n = 4000;
            LikelihoodDynamics dyn = new LikelihoodDynamics(f, n, m, 1, new Rng(11));
            double[] y = dyn.initialState(new float[n * 3]);
            double[] dy = new double[dyn.dimension()];
            dyn.derivative(0.0, y, dy);
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < n; r++) {
                mean += dy[3 * n + r] / n;
                sq += dy[3 * n + r] * dy[3 * n + r] / n;
            }
            double se = Math.sqrt((sq - mean * mean) / n);
            assertThat(se).as("%s has variance", m).isGreaterThan(0);
            assertThat(Math.abs(mean - TRACE)).as("%s bias vs standard error %s", m, se).isLessThan(4 * se);
        }
    }

    @Test
    void probesStayFixedWithinASolve() {
        LinearField f = new LinearField(A, new double[] {0, 0, 0});
        LikelihoodDynamics dyn = new LikelihoodDynamics(f, 8, DivergenceMethod.HUTCHINSON_RADEMACHER, 2, new Rng(3));
        double[] y = dyn.initialState(new float[24]);
        double[] a = new double[dyn.dimension()];
        double[] b = new double[dyn.dimension()];
        dyn.derivative(0.3, y, a);
        dyn.derivative(0.3, y, b);
        assertThat(b).containsExactly(a);
    }

    @Test
    void logProbabilityOfTheSourceIsTheStandardNormalDensityPlusTheIntegral() {
        LinearField f = new LinearField(A, new double[] {0, 0, 0});
        LikelihoodDynamics dyn = new LikelihoodDynamics(f, 1, DivergenceMethod.EXACT, 0, new Rng(0));
        double[] state = {0.5, -1.0, 2.0, 0.25};
        double expected = -1.5 * Math.log(2 * Math.PI) - 0.5 * (0.25 + 1.0 + 4.0) + 0.25;
        assertThat(dyn.logProbabilities(state)[0]).isCloseTo(expected, within(1e-12));
        assertThat(LikelihoodDynamics.bitsPerDim(-3 * Math.log(2), 3)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void badInputIsRejected() {
        LinearField f = new LinearField(A, new double[] {0, 0, 0});
        assertThatThrownBy(() -> new LikelihoodDynamics(f, 0, DivergenceMethod.EXACT, 0, new Rng(0)))
                .hasMessageContaining("at least one point");
        assertThatThrownBy(() -> new LikelihoodDynamics(f, 2, DivergenceMethod.HUTCHINSON_GAUSSIAN, 0, new Rng(0)))
                .hasMessageContaining("probe");
        LikelihoodDynamics dyn = new LikelihoodDynamics(f, 2, DivergenceMethod.EXACT, 0, new Rng(0));
        assertThatThrownBy(() -> dyn.initialState(new float[5])).hasMessageContaining("expected 2×3");
        assertThatThrownBy(() -> DivergenceMethod.parse("trace")).hasMessageContaining("valid: exact, hutchinson");
    }
}
