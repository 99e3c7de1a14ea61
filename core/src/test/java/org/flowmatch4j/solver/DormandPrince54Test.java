package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.flowmatch4j.solver.Problems.Problem;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DormandPrince54Test {

    /** Largest |error_i| / (atol + rtol·|exact_i|): the error in units of the requested tolerance. */
    private static double scaledError(double[] y, double[] exact, double tol) {
        double m = 0;
        for (int i = 0; i < y.length; i++) {
            m = Math.max(m, Math.abs(y[i] - exact[i]) / (tol + tol * Math.abs(exact[i])));
        }
        return m;
    }

    @Test
    void errorStaysWithinASmallMultipleOfTheToleranceAndNfeFallsAsItLoosens() {
        Problem[] problems = {Problems.harmonic(2.0), Problems.rotation(0.3), Problems.exponential(-2.0, 0),
            Problems.linearInTime(0.5, 2.0)};
        double[] t1 = {5.0, 3.0, 3.0, 2.0};
        for (int p = 0; p < problems.length; p++) {
            int previousNfe = Integer.MAX_VALUE;
            for (double tol : new double[] {1e-9, 1e-6, 1e-3}) {
                Problem pr = problems[p];
                OdeSolution s = DormandPrince54.withTolerances(tol, tol).solve(pr.system(), pr.t0(), pr.y0(), t1[p]);
                double e = scaledError(s.state(), pr.exact(t1[p]), tol);
                assertThat(e).as("problem %d, tol %s", p, tol).isLessThan(10);
                assertThat(s.nfe()).as("problem %d, tol %s", p, tol).isLessThan(previousNfe);
                previousNfe = s.nfe();
            }
        }
    }

    @Test
    void reportedNfeCountsEveryEvaluationWithFsal() {
        Problem p = Problems.rotation(0.3);
        CountingSystem auto = new CountingSystem(p.system());
        OdeSolution s = DormandPrince54.withTolerances(1e-7, 1e-7).solve(auto, p.t0(), p.y0(), 4.0);
        assertThat(s.nfe()).isEqualTo(auto.calls);
        // f(t0, y0), one evaluation for the initial-step heuristic, then 6 per attempted step (FSAL)
        assertThat(s.nfe()).isEqualTo(2 + 6 * s.steps());
        assertThat(s.rejectedSteps()).isPositive();

        CountingSystem given = new CountingSystem(p.system());
        OdeSolution g = new DormandPrince54(AdaptiveOptions.tolerances(1e-7, 1e-7).withInitialStep(0.01))
                .solve(given, p.t0(), p.y0(), 4.0);
        assertThat(g.nfe()).isEqualTo(given.calls).isEqualTo(1 + 6 * g.steps());
    }

    @Test
    void automaticInitialStepFollowsHairersHeuristicOnALinearProblem() {
        // y' = λy from y0: with the scale sc_i = atol + rtol·|y0_i| and D = ‖y0/sc‖_rms the heuristic gives
        // d1 = |λ|D, h0 = 0.01/|λ|, d2 = λ²D (exactly, f is linear), h1 = (0.01/max(d1, d2))^(1/5)
        double lambda = -3.0;
        double tol = 1e-6;
        Problem p = Problems.exponential(lambda, 0);
        double[] y0 = p.y0();
        double sum = 0;
        for (double v : y0) {
            double r = v / (tol + tol * Math.abs(v));
            sum += r * r;
        }
        double d = Math.sqrt(sum / y0.length);
        double h0 = 0.01 / Math.abs(lambda);
        double h1 = Math.pow(0.01 / Math.max(Math.abs(lambda) * d, lambda * lambda * d), 0.2);
        OdeSolution s = DormandPrince54.withTolerances(tol, tol).solve(p.system(), 0, y0, 2, Recording.everyStep());
        Trajectory tr = s.trajectory().orElseThrow();
        assertThat(s.rejectedSteps()).isZero();
        assertThat(tr.time(1) - tr.time(0)).isCloseTo(Math.min(100 * h0, h1), within(1e-15));
        // backward: the same magnitude, negative sign
        OdeSolution b = DormandPrince54.withTolerances(tol, tol).solve(p.system(), 0, y0, -2, Recording.everyStep());
        Trajectory tb = b.trajectory().orElseThrow();
        assertThat(tb.time(1)).isCloseTo(-Math.min(100 * h0, h1), within(1e-15));
    }

    @Test
    void everyStepRecordsTheAcceptedSteps() {
        Problem p = Problems.harmonic(2.0);
        double tol = 1e-8;
        OdeSolution s = DormandPrince54.withTolerances(tol, tol).solve(p.system(), 0, p.y0(), 3.0, Recording.everyStep());
        Trajectory tr = s.trajectory().orElseThrow();
        assertThat(tr.size()).isEqualTo(s.acceptedSteps() + 1);
        assertThat(tr.time(0)).isZero();
        assertThat(tr.state(0)).containsExactly(p.y0());
        assertThat(tr.time(tr.size() - 1)).isEqualTo(3.0);
        assertThat(tr.state(tr.size() - 1)).containsExactly(s.state());
        for (int k = 1; k < tr.size(); k++) {
            assertThat(tr.time(k)).isGreaterThan(tr.time(k - 1));
            assertThat(scaledError(tr.state(k), p.exact(tr.time(k)), tol)).isLessThan(10);
        }
        // recording does not change the steps or the result
        OdeSolution plain = DormandPrince54.withTolerances(tol, tol).solve(p.system(), 0, p.y0(), 3.0);
        assertThat(plain.state()).containsExactly(s.state());
        assertThat(plain.nfe()).isEqualTo(s.nfe());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void atTimesUsesDenseOutputWithoutExtraWork(boolean forward) {
        Problem p = Problems.rotation(forward ? 0.0 : 3.0);
        double t1 = forward ? 3.0 : 0.0;
        double tol = 1e-9;
        double[] times = forward ? new double[] {0, 0.123, 0.5, 1.7, 2.99, 3.0} : new double[] {3.0, 2.5, 1.01, 0.2, 0};
        DormandPrince54 solver = DormandPrince54.withTolerances(tol, tol);
        OdeSolution plain = solver.solve(p.system(), p.t0(), p.y0(), t1);
        OdeSolution s = solver.solve(p.system(), p.t0(), p.y0(), t1, Recording.atTimes(times));
        assertThat(s.nfe()).isEqualTo(plain.nfe());
        assertThat(s.state()).containsExactly(plain.state());
        Trajectory tr = s.trajectory().orElseThrow();
        assertThat(tr.times()).containsExactly(times);
        assertThat(tr.state(0)).containsExactly(p.y0());
        assertThat(tr.state(times.length - 1)).containsExactly(s.state());
        for (int k = 0; k < times.length; k++) {
            assertThat(scaledError(tr.state(k), p.exact(times[k]), tol)).as("t=%s", times[k]).isLessThan(10);
        }
        // at coarse tolerance the steps are long, so most times fall strictly inside a step
        DormandPrince54 coarse = DormandPrince54.withTolerances(1e-4, 1e-4);
        Trajectory c = coarse.solve(p.system(), p.t0(), p.y0(), t1, Recording.atTimes(times)).trajectory()
                .orElseThrow();
        for (int k = 0; k < times.length; k++) {
            assertThat(scaledError(c.state(k), p.exact(times[k]), 1e-4)).as("coarse t=%s", times[k]).isLessThan(10);
        }
    }

    @Test
    void denseOutputIsFourthOrderInsideOneStep() {
        // one step of length h (initial step h, loose tolerance so it is accepted) and the interpolant at 0.4h:
        // a 4th-order continuous extension has a local error O(h⁵), so halving h divides it by ≈ 32
        Problem p = Problems.gaussianDecay(0.3);
        double[] err = new double[4];
        double[] hs = {0.2, 0.1, 0.05, 0.025};
        for (int k = 0; k < hs.length; k++) {
            double h = hs[k];
            DormandPrince54 one = new DormandPrince54(new AdaptiveOptions(1, 1, h, 0, 1));
            OdeSolution s = one.solve(p.system(), 0.3, p.y0(), 0.3 + h, Recording.atTimes(0.3 + 0.4 * h));
            assertThat(s.acceptedSteps()).isEqualTo(1);
            err[k] = Math.abs(s.trajectory().orElseThrow().component(0, 0) - p.exact(0.3 + 0.4 * h)[0]);
        }
        double[] logH = new double[hs.length];
        double[] logE = new double[hs.length];
        for (int k = 0; k < hs.length; k++) {
            logH[k] = Math.log(hs[k]);
            logE[k] = Math.log(err[k]);
        }
        assertThat(FixedStepSolverTest.slope(logH, logE)).isCloseTo(5.0, within(0.4));
    }

    @Test
    void oneStepOnALinearProblemIsTheStabilityPolynomialOfTheTableau() {
        // for y' = λy one step multiplies y by R(z) = 1 + Σ_k z^(k+1)·bᵀA^k·1 with z = λh (A strictly lower
        // triangular, so the sum stops at k = 6); this ties the stage loops to the tableau coefficient by coefficient
        double[][] a = DormandPrinceTableau.a();
        double[] b = DormandPrinceTableau.b();
        double[] v = {1, 1, 1, 1, 1, 1, 1};
        double[] coef = new double[8];
        coef[0] = 1;
        for (int k = 0; k < 7; k++) {
            double s = 0;
            for (int i = 0; i < 7; i++) {
                s += b[i] * v[i];
            }
            coef[k + 1] = s;
            double[] next = new double[7];
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < a[i].length; j++) {
                    next[i] += a[i][j] * v[j];
                }
            }
            v = next;
        }
        // consistent to order 5 (coefficients 1/j!), with a non-zero z⁶ term
        double fact = 1;
        for (int j = 1; j <= 5; j++) {
            fact *= j;
            assertThat(coef[j]).isCloseTo(1 / fact, within(1e-15));
        }
        assertThat(Math.abs(coef[6] - 1.0 / 720)).isGreaterThan(1e-5);
        for (double h : new double[] {0.5, 0.1, -0.3}) {
            double lambda = -2.0;
            double z = lambda * h;
            double r = 0;
            for (int j = 7; j >= 0; j--) {
                r = r * z + coef[j];
            }
            Problem p = Problems.exponential(lambda, 0);
            OdeSolution s = new DormandPrince54(new AdaptiveOptions(1e3, 1e3, Math.abs(h), 0, 1)).solve(p.system(), 0,
                    p.y0(), h);
            assertThat(s.acceptedSteps()).isEqualTo(1);
            assertThat(s.state()).containsExactly(new double[] {r, -2 * r, 0.5 * r}, within(1e-15));
        }
    }

    @Test
    void oneStepOfTheFifthOrderSolutionHasLocalErrorOrderSix() {
        Problem p = Problems.rotation(0.3);
        double[] hs = {0.2, 0.1, 0.05, 0.025};
        double[] logH = new double[hs.length];
        double[] logE = new double[hs.length];
        for (int k = 0; k < hs.length; k++) {
            DormandPrince54 one = new DormandPrince54(new AdaptiveOptions(1, 1, hs[k], 0, 1));
            OdeSolution s = one.solve(p.system(), 0.3, p.y0(), 0.3 + hs[k]);
            logH[k] = Math.log(hs[k]);
            logE[k] = Math.log(Problems.maxAbsDiff(s.state(), p.exact(0.3 + hs[k])));
        }
        assertThat(FixedStepSolverTest.slope(logH, logE)).isCloseTo(6.0, within(0.4));
    }

    @Test
    void blowUpHitsTheMinimumStepWithADescriptiveMessage() {
        // y' = y², y(0) = 1: y = 1/(1 − t) has a pole at t = 1 (the numerical solution lags slightly, so its own
        // pole may lie a hair past 1)
        CountingSystem f = new CountingSystem(Problems.blowUp());
        OdeSolverException e = catchThrowableOfType(OdeSolverException.class,
                () -> new DormandPrince54(AdaptiveOptions.tolerances(1e-6, 1e-6).withMinStep(1e-8).withMaxSteps(100_000))
                        .solve(f, 0, new double[] {1}, 2));
        assertThat(e).isNotNull();
        assertThat(e).isInstanceOf(IllegalStateException.class);
        assertThat(e.reason()).isEqualTo(OdeSolverException.Reason.STEP_TOO_SMALL);
        assertThat(e.time()).isBetween(0.99, 1.01);
        assertThat(Math.abs(e.stepSize())).isLessThan(1e-8);
        assertThat(e.nfe()).isEqualTo(f.calls);
        assertThat(e.getMessage()).contains("dopri5", "minStep=1.0E-8", "t=" + e.time(), "h=" + e.stepSize(),
                "steps=" + e.steps(), "NFE=" + e.nfe());
    }

    @Test
    void stepCapStopsTheSolveWithADescriptiveMessage() {
        CountingSystem f = new CountingSystem(Problems.blowUp());
        OdeSolverException e = catchThrowableOfType(OdeSolverException.class,
                () -> new DormandPrince54(AdaptiveOptions.tolerances(1e-6, 1e-6).withMaxSteps(40))
                        .solve(f, 0, new double[] {1}, 2));
        assertThat(e.reason()).isEqualTo(OdeSolverException.Reason.TOO_MANY_STEPS);
        assertThat(e.steps()).isEqualTo(40);
        assertThat(e.acceptedSteps() + e.rejectedSteps()).isEqualTo(40);
        assertThat(e.nfe()).isEqualTo(f.calls).isEqualTo(2 + 6 * 40);
        assertThat(e.time()).isBetween(0.0, 1.0);
        assertThat(e.getMessage()).contains("maxSteps=40", "t=" + e.time(), "steps=40", "NFE=" + e.nfe());
    }

    @Test
    void nanDerivativeFailsInsteadOfHanging() {
        OdeSystem poisoned = new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = t > 0.5 ? Double.NaN : y[1];
                dydt[1] = -y[0];
            }
        };
        OdeSolverException e = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> catchThrowableOfType(OdeSolverException.class,
                        () -> new DormandPrince54().solve(poisoned, 0, new double[] {1, 0}, 1)));
        assertThat(e).isNotNull();
        assertThat(e.time()).isLessThanOrEqualTo(0.5);
        assertThat(e.rejectedSteps()).isPositive();
    }

    @Test
    void zeroLengthIntervalAndTinyIntervals() {
        CountingSystem f = new CountingSystem(Problems.harmonic(1).system());
        OdeSolution s = new DormandPrince54().solve(f, 1, new double[] {1, 2}, 1, Recording.atTimes(1));
        assertThat(s.nfe()).isZero();
        assertThat(s.state()).containsExactly(1, 2);
        assertThat(s.trajectory().orElseThrow().state(0)).containsExactly(1, 2);
        // an interval shorter than minStep is one clipped step, not a failure
        Problem p = Problems.harmonic(1);
        OdeSolution tiny = new DormandPrince54().solve(p.system(), 0, p.y0(), 1e-13);
        assertThat(tiny.acceptedSteps()).isEqualTo(1);
        assertThat(tiny.state()).containsExactly(p.exact(1e-13), within(1e-15));
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> AdaptiveOptions.tolerances(-1e-3, 1e-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rtol=-0.001");
        assertThatThrownBy(() -> AdaptiveOptions.tolerances(1e-3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atol=0.0");
        assertThatThrownBy(() -> AdaptiveOptions.defaults().withMaxSteps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSteps");
        assertThatThrownBy(() -> AdaptiveOptions.defaults().withMinStep(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minStep");
        assertThatThrownBy(() -> AdaptiveOptions.defaults().withInitialStep(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialStep");
        assertThatThrownBy(() -> AdaptiveOptions.defaults().withMinStep(0.1).withInitialStep(0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below minStep");
        AdaptiveOptions d = AdaptiveOptions.defaults();
        assertThat(d.rtol()).isEqualTo(1e-5);
        assertThat(d.atol()).isEqualTo(1e-5);
        assertThat(d.automaticInitialStep()).isTrue();
    }
}
