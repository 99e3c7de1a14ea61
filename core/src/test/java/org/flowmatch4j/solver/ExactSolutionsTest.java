package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.flowmatch4j.solver.Problems.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every solver, forward and backward, on problems with closed-form solutions. */
class ExactSolutionsTest {

    /** Each solver with a resolution and the absolute error it must then reach on the problems below. */
    static Stream<Arguments> solvers() {
        return Stream.of(
                Arguments.of(new Euler(4000), 2e-2),
                Arguments.of(new Midpoint(400), 1e-3),
                Arguments.of(new Heun(400), 1e-3),
                Arguments.of(new RK4(100), 1e-5),
                Arguments.of(DormandPrince54.withTolerances(1e-9, 1e-9), 1e-6));
    }

    private static void check(OdeSolver solver, Problem p, double t1, double tol) {
        OdeSolution s = solver.solve(p.system(), p.t0(), p.y0(), t1);
        double[] exact = p.exact(t1);
        double scale = 0;
        for (double v : exact) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(s.time()).isEqualTo(t1);
        assertThat(Problems.maxAbsDiff(s.state(), exact)).as("%s to t1=%s", solver, t1)
                .isLessThanOrEqualTo(tol * Math.max(1, scale));
        // the error must come from the method, not be trivially zero: the state moved
        assertThat(Problems.maxAbsDiff(s.state(), p.y0())).isGreaterThan(1e-3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void exponentialDecayAndGrowthForward(OdeSolver solver, double tol) {
        check(solver, Problems.exponential(-2.0, 0.0), 2.0, tol);
        check(solver, Problems.exponential(1.5, 0.0), 1.5, tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void exponentialBackwardInTime(OdeSolver solver, double tol) {
        // backward, λ < 0 grows and λ > 0 decays
        check(solver, Problems.exponential(-2.0, 2.0), 0.0, tol);
        check(solver, Problems.exponential(1.5, 1.0), -0.5, tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void harmonicOscillator(OdeSolver solver, double tol) {
        Problem p = Problems.harmonic(2.0);
        check(solver, p, 2.5, tol);
        check(solver, p, 0.7, tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void timeDependentLinearSystems(OdeSolver solver, double tol) {
        check(solver, Problems.linearInTime(0.5, 2.0), 1.5, tol);
        check(solver, Problems.linearInTime(1.5, -1.0), -1.0, tol);
        check(solver, Problems.rotation(0.0), 2.5, tol);
        check(solver, Problems.rotation(2.0), -0.5, tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void backwardUndoesForward(OdeSolver solver, double tol) {
        OdeSystem f = Problems.nonlinear();
        double[] y0 = {0.8, -1.3};
        OdeSolution fwd = solver.solve(f, 0, y0, 1);
        OdeSolution back = solver.solve(f, 1, fwd.state(), 0);
        assertThat(Problems.maxAbsDiff(fwd.state(), y0)).isGreaterThan(0.1);
        assertThat(Problems.maxAbsDiff(back.state(), y0)).isLessThanOrEqualTo(tol);
        assertThat(back.time()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void sameInputsGiveIdenticalResults(OdeSolver solver, double tol) {
        OdeSystem f = Problems.nonlinear();
        double[] y0 = {0.8, -1.3};
        assertThat(solver.solve(f, 0, y0, 1, Recording.everyStep()))
                .isEqualTo(solver.solve(f, 0, y0, 1, Recording.everyStep()));
        assertThat(y0).containsExactly(0.8, -1.3);
    }
}
