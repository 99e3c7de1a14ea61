package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Dormand–Prince coefficients satisfy the Runge–Kutta order conditions they are meant to. */
class DormandPrinceTableauTest {
    private final double[][] a = DormandPrinceTableau.a();
    private final double[] c = DormandPrinceTableau.c();
    private final double[] b = DormandPrinceTableau.b();
    private final double[] bHat = DormandPrinceTableau.B_HAT;

    @Test
    void rowSumsEqualTheNodes() {
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (double v : a[i]) {
                s += v;
            }
            assertThat(s).as("row %d", i).isCloseTo(c[i], within(1e-14));
        }
    }

    @Test
    void lastRowIsTheFifthOrderWeightsSoTheLastStageIsTheNextFirst() {
        for (int j = 0; j < a[6].length; j++) {
            assertThat(a[6][j]).isEqualTo(b[j]);
        }
        assertThat(c[6]).isEqualTo(1.0);
    }

    @Test
    void weightsSatisfyTheQuadratureConditionsUpToTheirOrder() {
        // Σ b_i c_i^(q−1) = 1/q for q ≤ order
        for (int q = 1; q <= 5; q++) {
            assertThat(dot(b, pow(c, q - 1))).as("b, q=%d", q).isCloseTo(1.0 / q, within(1e-14));
        }
        for (int q = 1; q <= 4; q++) {
            assertThat(dot(bHat, pow(c, q - 1))).as("b̂, q=%d", q).isCloseTo(1.0 / q, within(1e-14));
        }
        // the 4th-order weights must not be 5th order, or the error estimate would vanish
        assertThat(Math.abs(dot(bHat, pow(c, 4)) - 0.2)).isGreaterThan(1e-6);
    }

    @Test
    void treeConditionsOfOrdersThreeToFive() {
        double[] ac = mulA(c);          // Σ_j a_ij c_j
        double[] ac2 = mulA(pow(c, 2)); // Σ_j a_ij c_j²
        double[] aac = mulA(ac);        // Σ_j a_ij Σ_k a_jk c_k
        for (double[] w : new double[][] {b, bHat}) {
            assertThat(dot(w, ac)).isCloseTo(1.0 / 6, within(1e-14));
            assertThat(dot(w, times(c, ac))).isCloseTo(1.0 / 8, within(1e-14));
            assertThat(dot(w, ac2)).isCloseTo(1.0 / 12, within(1e-14));
            assertThat(dot(w, aac)).isCloseTo(1.0 / 24, within(1e-14));
        }
        assertThat(dot(b, times(pow(c, 2), ac))).isCloseTo(1.0 / 10, within(1e-14));
        assertThat(dot(b, times(ac, ac))).isCloseTo(1.0 / 20, within(1e-14));
        assertThat(dot(b, mulA(pow(c, 3)))).isCloseTo(1.0 / 20, within(1e-14));
        assertThat(dot(b, mulA(aac))).isCloseTo(1.0 / 120, within(1e-14));
    }

    @Test
    void errorWeightsAreTheDifferenceOfTheTwoSolutions() {
        double[] e = DormandPrinceTableau.e();
        for (int j = 0; j < 7; j++) {
            assertThat(e[j]).as("e%d", j + 1).isCloseTo(b[j] - bHat[j], within(1e-16));
        }
    }

    @Test
    void denseOutputCorrectionVanishesOnConstantSlopes() {
        // for f ≡ const all stages are equal; the interpolant must then be exactly linear, so Σ d_j = 0
        double s = 0;
        for (double v : DormandPrinceTableau.d()) {
            s += v;
        }
        assertThat(s).isCloseTo(0, within(1e-13));
    }

    private double[] mulA(double[] v) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                r[i] += a[i][j] * v[j];
            }
        }
        return r;
    }

    private static double[] pow(double[] v, int q) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.pow(v[i], q);
        }
        return r;
    }

    private static double[] times(double[] u, double[] v) {
        double[] r = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            r[i] = u[i] * v[i];
        }
        return r;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
