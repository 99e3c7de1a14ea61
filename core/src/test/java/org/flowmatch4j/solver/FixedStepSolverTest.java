package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.flowmatch4j.solver.Problems.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FixedStepSolverTest {

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("euler", (IntFunction<FixedStepSolver>) Euler::new, 1, 1.0, new int[] {64, 128, 256, 512}),
                Arguments.of("midpoint", (IntFunction<FixedStepSolver>) Midpoint::new, 2, 2.0, new int[] {16, 32, 64, 128}),
                Arguments.of("heun", (IntFunction<FixedStepSolver>) Heun::new, 2, 2.0, new int[] {16, 32, 64, 128}),
                Arguments.of("rk4", (IntFunction<FixedStepSolver>) RK4::new, 4, 4.0, new int[] {8, 16, 32, 64}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void nfeIsExactlyStepsTimesStages(String name, IntFunction<FixedStepSolver> make, int stages, double order,
            int[] steps) {
        for (int n : new int[] {1, 7, 50}) {
            CountingSystem f = new CountingSystem(Problems.rotation(0).system());
            OdeSolution s = make.apply(n).solve(f, 0, new double[] {1, 0}, 1);
            assertThat(f.calls).isEqualTo(n * stages);
            assertThat(s.nfe()).isEqualTo(n * stages);
            assertThat(s.acceptedSteps()).isEqualTo(n);
            assertThat(s.rejectedSteps()).isZero();
            assertThat(make.apply(n).name()).isEqualTo(name);
            assertThat(make.apply(n).evaluationsPerStep()).isEqualTo(stages);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void empiricalOrderOfConvergence(String name, IntFunction<FixedStepSolver> make, int stages, double order,
            int[] steps) {
        // time-dependent right-hand side, so wrong stage times would show up as a lower order
        Problem p = Problems.rotation(0.3);
        double t1 = 2.3;
        double[] exact = p.exact(t1);
        double[] logH = new double[steps.length];
        double[] logE = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            OdeSolution s = make.apply(steps[k]).solve(p.system(), p.t0(), p.y0(), t1);
            logH[k] = Math.log((t1 - p.t0()) / steps[k]);
            logE[k] = Math.log(Problems.maxAbsDiff(s.state(), exact));
        }
        assertThat(slope(logH, logE)).as(name).isCloseTo(order, within(0.3));
        // and backward in time, from the exact final state
        for (int k = 0; k < steps.length; k++) {
            OdeSolution s = make.apply(steps[k]).solve(p.system(), t1, exact, p.t0());
            logE[k] = Math.log(Problems.maxAbsDiff(s.state(), p.y0()));
        }
        assertThat(slope(logH, logE)).as(name + " backward").isCloseTo(order, within(0.3));
    }

    /** Least-squares slope of y against x. */
    static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    @Test
    void eulerOnAnExplicitGridIsTheProductOfItsFactors() {
        // y' = λy: one Euler step multiplies by (1 + λh_k), whatever the spacing
        double lambda = -1.7;
        double[] grid = {0, 0.01, 0.05, 0.2, 0.21, 0.6, 1.0};
        Problem p = Problems.exponential(lambda, 0);
        OdeSolution s = new Euler(grid).solveOnGrid(p.system(), p.y0(), Recording.everyStep());
        double g = 1;
        Trajectory tr = s.trajectory().orElseThrow();
        assertThat(tr.times()).containsExactly(grid);
        for (int k = 0; k < grid.length; k++) {
            if (k > 0) {
                g *= 1 + lambda * (grid[k] - grid[k - 1]);
            }
            assertThat(tr.component(k, 1)).isCloseTo(-2.0 * g, within(1e-14));
        }
        assertThat(s.state()).containsExactly(tr.state(grid.length - 1));
    }

    @Test
    void decreasingGridIntegratesBackward() {
        double[] grid = {1.0, 0.75, 0.5, 0.25, 0.0};
        Problem p = Problems.exponential(2.0, 1.0);
        OdeSolution s = new Heun(grid).solve(p.system(), 1.0, p.y0(), 0.0, Recording.none());
        // Heun on y' = λy multiplies by 1 + λh + (λh)²/2 with h = −0.25
        double z = 2.0 * -0.25;
        double g = Math.pow(1 + z + z * z / 2, 4);
        assertThat(s.state()).containsExactly(new double[] {g, -2 * g, 0.5 * g}, within(1e-14));
        assertThat(s.trajectory()).isEmpty();
    }

    @Test
    void rk4StepMatchesTheTaylorPolynomialOnLinearProblems() {
        // for y' = λy one RK4 step multiplies by Σ_{j≤4} (λh)^j / j!
        Problem p = Problems.exponential(-3.0, 0);
        double h = 0.1;
        OdeSolution s = new RK4(5).solve(p.system(), 0, p.y0(), 0.5);
        double z = -3.0 * h;
        double g = Math.pow(1 + z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24, 5);
        assertThat(s.state(0)).isCloseTo(g, within(1e-15));
        // midpoint on the same problem: Σ_{j≤2}
        OdeSolution m = new Midpoint(5).solve(p.system(), 0, p.y0(), 0.5);
        assertThat(m.state(0)).isCloseTo(Math.pow(1 + z + z * z / 2, 5), within(1e-15));
    }

    @Test
    void everyStepRecordsTheUniformGridAndStates() {
        Problem p = Problems.harmonic(1.0);
        int n = 10;
        OdeSolution s = new RK4(n).solve(p.system(), 0, p.y0(), 2.0, Recording.everyStep());
        Trajectory tr = s.trajectory().orElseThrow();
        assertThat(tr.size()).isEqualTo(n + 1);
        for (int k = 0; k <= n; k++) {
            assertThat(tr.time(k)).isCloseTo(0.2 * k, within(1e-15));
            // the state after k steps equals a separate solve with k steps over [0, 0.2k]
            if (k > 0) {
                double[] direct = new RK4(k).solve(p.system(), 0, p.y0(), tr.time(k)).state();
                assertThat(tr.state(k)).containsExactly(direct, within(1e-15));
            }
            assertThat(Problems.maxAbsDiff(tr.state(k), p.exact(tr.time(k)))).isLessThan(1e-4);
        }
        assertThat(tr.state(0)).containsExactly(p.y0());
        assertThat(tr.time(n)).isEqualTo(2.0);
        assertThat(tr.state(n)).containsExactly(s.state());
    }

    @Test
    void atTimesPicksGridPointsAndRejectsOthers() {
        Problem p = Problems.harmonic(1.0);
        FixedStepSolver solver = new Midpoint(8);
        Trajectory all = solver.solve(p.system(), 0, p.y0(), 1, Recording.everyStep()).trajectory().orElseThrow();
        Trajectory some = solver.solve(p.system(), 0, p.y0(), 1, Recording.atTimes(0, 0.25, 0.625, 1))
                .trajectory().orElseThrow();
        assertThat(some.times()).containsExactly(0, 0.25, 0.625, 1);
        int[] idx = {0, 2, 5, 8};
        for (int k = 0; k < idx.length; k++) {
            assertThat(some.state(k)).containsExactly(all.state(idx[k]));
        }
        assertThatThrownBy(() -> solver.solve(p.system(), 0, p.y0(), 1, Recording.atTimes(0.25, 0.3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.3")
                .hasMessageContaining("not a grid point");
        assertThatThrownBy(() -> solver.solve(p.system(), 0, p.y0(), 1, Recording.atTimes(0.5, 1.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5").hasMessageContaining("outside");
        assertThatThrownBy(() -> solver.solve(p.system(), 0, p.y0(), 1, Recording.atTimes(0.5, 0.25)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction");
        // backward: decreasing times
        Trajectory back = solver.solve(p.system(), 1, p.y0(), 0, Recording.atTimes(0.75, 0.0)).trajectory()
                .orElseThrow();
        assertThat(back.times()).containsExactly(0.75, 0.0);
    }

    @Test
    void zeroLengthIntervalReturnsTheInitialState() {
        CountingSystem f = new CountingSystem(Problems.harmonic(1).system());
        OdeSolution s = new RK4(10).solve(f, 0.5, new double[] {1, 2}, 0.5, Recording.everyStep());
        assertThat(s.state()).containsExactly(1, 2);
        assertThat(s.nfe()).isZero();
        assertThat(f.calls).isZero();
        assertThat(s.trajectory().orElseThrow().times()).containsExactly(0.5);
    }

    @Test
    void invalidConstructionAndInputsAreRejectedWithTheValues() {
        assertThatThrownBy(() -> new Euler(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("euler")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new RK4(new double[] {0, 0.5, 0.5, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly");
        assertThatThrownBy(() -> new Heun(new double[] {0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new Heun(new double[] {0, Double.NaN})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        OdeSystem f = Problems.harmonic(1).system();
        FixedStepSolver grid = new Euler(new double[] {0, 0.5, 1});
        assertThatThrownBy(() -> grid.solve(f, 0, new double[] {1, 0}, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0.0 to 1.0").hasMessageContaining("t1=2.0");
        assertThatThrownBy(() -> new Euler(3).solve(f, 0, new double[] {1, 0, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 3")
                .hasMessageContaining("dimension() is 2");
        assertThatThrownBy(() -> new Euler(3).solve(f, 0, new double[] {1, Double.POSITIVE_INFINITY}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y0[1]");
        assertThatThrownBy(() -> new Euler(3).solve(f, 0, new double[] {1, 0}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t1=NaN");
        assertThatThrownBy(() -> new Euler(3).solveOnGrid(f, new double[] {1, 0}, Recording.none()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("explicit grid");
    }

    @Test
    void gridEndpointsWithinToleranceAreSnappedToT0AndT1() {
        double[] g = new Euler(new double[] {0, 1.0 / 3, 2.0 / 3, 1 + 1e-12}).gridFor(0, 1);
        assertThat(g[3]).isEqualTo(1.0);
        assertThat(new Euler(4).gridFor(1, 0)).containsExactly(1, 0.75, 0.5, 0.25, 0);
    }
}
