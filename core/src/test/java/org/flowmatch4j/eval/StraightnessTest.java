package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;

import org.flowmatch4j.solver.Trajectory;
import org.junit.jupiter.api.Test;

class StraightnessTest {
    static final double[] A = {0.5, -1.0, 2.0, 0.0};   // two 2-D paths: start points
    static final double[] B = {1.5, 1.0, -1.0, 3.0};   // end points
    static final double[] C = {0.0, 0.3, -0.4, 0.0};   // bulge directions (norms 0.3 and 0.4)

    /**
     * Paths {@code x(t) = a + g(t)(b − a) + sin(πt)·c} on the given times, with a reparametrisation g (g(0) = 0,
     * g(1) = 1) and a bulge weight.
     */
    static Trajectory paths(double[] times, DoubleUnaryOperator g, double bulge) {
        double[][] states = new double[times.length][A.length];
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            for (int c = 0; c < A.length; c++) {
                states[k][c] = A[c] + g.applyAsDouble(t) * (B[c] - A[c]) + bulge * Math.sin(Math.PI * t) * C[c];
            }
        }
        return new Trajectory(times, states);
    }

    static double[] uniform(int steps) {
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            t[k] = (double) k / steps;
        }
        return t;
    }

    @Test
    void straightPathsAtConstantSpeedScoreZero() {
        StraightnessResult r = Straightness.of(paths(uniform(50), t -> t, 0), 2, 2);
        assertThat(r.chordDeviation()).isCloseTo(0.0, within(1e-14));
        assertThat(r.velocityDeviation()).isCloseTo(0.0, within(1e-12));
        assertThat(r.samples()).isEqualTo(2);
        assertThat(r.times()).isEqualTo(51);
    }

    @Test
    void curvedPathsMatchTheClosedForms() {
        // x − chord = sin(πt)·c: ∫₀¹ |sin(πt)|·||c|| dt = 2||c||/π; v − (x1 − x0) = π cos(πt)·c: ∫ π²cos²(πt)||c||² = π²||c||²/2
        double chord = (2 * 0.3 / Math.PI + 2 * 0.4 / Math.PI) / 2;
        double velocity = (Math.PI * Math.PI * 0.09 / 2 + Math.PI * Math.PI * 0.16 / 2) / 2;
        StraightnessResult r = Straightness.of(paths(uniform(2000), t -> t, 1), 2, 2);
        assertThat(r.chordDeviation()).isCloseTo(chord, within(1e-6));
        assertThat(r.velocityDeviation()).isCloseTo(velocity, within(1e-5));
        // a non-uniform grid (t = u²) gives the same integrals: the rule weights each state by its spacing
        double[] t = uniform(4000);
        for (int k = 0; k < t.length; k++) {
            t[k] = t[k] * t[k];
        }
        StraightnessResult q = Straightness.of(paths(t, s -> s, 1), 2, 2);
        assertThat(q.chordDeviation()).isCloseTo(chord, within(1e-5));
        assertThat(q.velocityDeviation()).isCloseTo(velocity, within(1e-3));
    }

    @Test
    void aStraightPathWithVaryingSpeedIsNotStraightInTime() {
        // x(t) = a + t²(b − a): distance to the chord |t² − t|·||b − a||, integral ||b − a||/6;
        // v − (b − a) = (2t − 1)(b − a), integral ||b − a||²/3
        double l1 = Math.hypot(1.0, 2.0);
        double l2 = Math.hypot(3.0, 3.0);
        StraightnessResult r = Straightness.of(paths(uniform(2000), s -> s * s, 0), 2, 2);
        assertThat(r.chordDeviation()).isCloseTo((l1 + l2) / 12, within(1e-6));
        assertThat(r.velocityDeviation()).isCloseTo((l1 * l1 + l2 * l2) / 6, within(1e-5));
    }

    @Test
    void badTrajectoriesAreRefused() {
        assertThatThrownBy(() -> Straightness.of(paths(new double[] {0}, t -> t, 0), 2, 2)).hasMessageContaining("2 recorded times");
        assertThatThrownBy(() -> Straightness.of(paths(uniform(3), t -> t, 0), 3, 2)).hasMessageContaining("3 rows of dimension 2");
    }
}
