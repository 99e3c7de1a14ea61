package org.flowmatch4j.cnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.fm.MlpVelocityField;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.LogLikelihood;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Euler;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.OdeSolverException;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.solver.SolverMethod;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CnfLikelihoodTest {
    /** A network with weights scaled up so that the flow is far from the identity (divergence of order 1). */
    static TimeMlp net(DType dtype, int hidden, long seed) {
        TimeMlp net = new TimeMlp(2, hidden, 2, Activation.SILU, new ConcatTime(), dtype, new Rng(seed));
        for (Var p : net.parameters()) {
            p.value().mulInPlace(2.0);
        }
        return net;
    }

    static float[] points(int n, long seed) {
        float[] x = new float[n * 2];
        new Rng(seed).fillNormal(x, 0, x.length);
        return x;
    }

    static double[] tapeLogProb(TimeMlp net, float[] x, int n, TapeSolver solver, DivergenceMethod method, CnfDynamics.Mode mode) {
        CnfDynamics f = new CnfDynamics(net, n, method, 1, mode, new Rng(0));
        Var xv = Var.constant(Tensor.of(x, n, 2).to(net.dtype()));
        return CnfLikelihood.compute(f, solver, xv).logProb().value().toDoubleArray();
    }

    @Test
    void tapeLogLikelihoodAgreesWithTheLikelihoodRoutineOnTheSameNetwork() {
        TimeMlp net = net(DType.FLOAT32, 32, 1);
        int n = 64;
        float[] x = points(n, 2);
        MlpVelocityField field = new MlpVelocityField(net, 1024, 2);
        Object[][] solvers = {{new Euler(10), SolverMethod.EULER, 10}, {new RK4(6), SolverMethod.RK4, 6}};
        for (Object[] s : solvers) {
            LikelihoodResult ref = LogLikelihood.compute(field, x, n, (OdeSolver) s[0], DivergenceMethod.EXACT, 0, new Rng(0));
            for (CnfDynamics.Mode mode : CnfDynamics.Mode.values()) {
                double[] lp = tapeLogProb(net, x, n, new FixedStepTapeSolver((SolverMethod) s[1], (Integer) s[2]),
                        DivergenceMethod.EXACT, mode);
                double spread = 0;
                for (int i = 0; i < n; i++) {
                    assertThat(lp[i]).as("%s %s point %d", s[1], mode, i).isCloseTo(ref.logProb()[i], within(2e-4));
                    spread = Math.max(spread, Math.abs(ref.logProb()[i] - ref.logProb()[0]));
                }
                assertThat(spread).as("the points' densities differ (a non-trivial comparison)").isGreaterThan(0.5);
            }
        }
    }

    @Test
    void forwardAndReverseModeGiveTheSameDivergenceForEveryEstimator() {
        TimeMlp net = net(DType.FLOAT64, 16, 3);
        int n = 20;
        Var z = Var.constant(Tensor.of(points(n, 4), n, 2).to(DType.FLOAT64));
        for (DivergenceMethod m : DivergenceMethod.values()) {
            CnfDynamics fwd = new CnfDynamics(net, n, m, 3, CnfDynamics.Mode.FORWARD, new Rng(9));
            CnfDynamics rev = new CnfDynamics(net, n, m, 3, CnfDynamics.Mode.VJP, new Rng(9));
            CnfDynamics.Derivative a = fwd.evaluate(0.37, z);
            CnfDynamics.Derivative b = rev.evaluate(0.37, z);
            assertThat(a.velocity().value().allClose(b.velocity().value(), 1e-12, 1e-12)).isTrue();
            assertThat(a.divergence().value().allClose(b.divergence().value(), 1e-10, 1e-10)).as("%s", m).isTrue();
        }
    }

    @Test
    void hutchinsonEstimatorIsUnbiased() {
        TimeMlp net = net(DType.FLOAT64, 16, 5);
        int points = 4;
        int draws = 4000;
        double[] base = {0.3, -0.8, 1.1, 0.2, -1.4, -0.5, 0.0, 0.9};
        Tensor z = Tensor.zeros(DType.FLOAT64, points * draws, 2);
        for (int r = 0; r < points * draws; r++) {
            z.setDouble(2 * r, base[2 * (r % points)]);
            z.setDouble(2 * r + 1, base[2 * (r % points) + 1]);
        }
        Var zv = Var.constant(z);
        double[] exact = new CnfDynamics(net, points * draws, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null)
                .evaluate(0.5, zv).divergence().value().toDoubleArray();
        for (DivergenceMethod m : new DivergenceMethod[] {DivergenceMethod.HUTCHINSON_RADEMACHER, DivergenceMethod.HUTCHINSON_GAUSSIAN}) {
            // one probe per row: each repeated point gets `draws` independent probes
            double[] est = new CnfDynamics(net, points * draws, m, 1, CnfDynamics.Mode.FORWARD, new Rng(11))
                    .evaluate(0.5, zv).divergence().value().toDoubleArray();
            for (int p = 0; p < points; p++) {
                double s = 0;
                double s2 = 0;
                for (int k = 0; k < draws; k++) {
                    double v = est[k * points + p];
                    s += v;
                    s2 += v * v;
                }
                double mean = s / draws;
                double sd = Math.sqrt(Math.max(0, s2 / draws - mean * mean));
                assertThat(sd).as("%s point %d: a single probe is not exact", m, p).isGreaterThan(0.01);
                assertThat(Math.abs(mean - exact[p])).as("%s point %d: mean %.5f vs exact %.5f (sd %.4f)", m, p, mean, exact[p], sd)
                        .isLessThan(4.5 * sd / Math.sqrt(draws));
            }
        }
    }

    @Test
    void adaptiveSolverOnTheTapeConvergesToTheFixedStepAnswer() {
        TimeMlp net = net(DType.FLOAT64, 16, 6);
        int n = 16;
        float[] x = points(n, 7);
        double[] ref = tapeLogProb(net, x, n, new FixedStepTapeSolver(SolverMethod.RK4, 400), DivergenceMethod.EXACT,
                CnfDynamics.Mode.FORWARD);
        double prevErr = Double.POSITIVE_INFINITY;
        int prevNfe = 0;
        for (double tol : new double[] {1e-3, 1e-5, 1e-7, 1e-9}) {
            CnfDynamics f = new CnfDynamics(net, n, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null);
            TapeSolution s = new DormandPrinceTapeSolver(AdaptiveOptions.tolerances(tol, tol))
                    .solve(f, Var.constant(Tensor.of(x, n, 2).to(DType.FLOAT64)), 1.0, 0.0);
            double[] lp = CnfLikelihood.compute(new CnfDynamics(net, n, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null),
                    new DormandPrinceTapeSolver(AdaptiveOptions.tolerances(tol, tol)), Var.constant(Tensor.of(x, n, 2).to(DType.FLOAT64)))
                    .logProb().value().toDoubleArray();
            double err = 0;
            for (int i = 0; i < n; i++) {
                err = Math.max(err, Math.abs(lp[i] - ref[i]));
            }
            assertThat(s.nfe()).as("NFE counts every evaluation").isEqualTo((int) f.evaluations());
            assertThat(s.nfe()).as("tol %g", tol).isGreaterThan(prevNfe);
            assertThat(err).as("tol %g", tol).isLessThan(Math.max(prevErr, 1e-9));
            prevErr = err;
            prevNfe = s.nfe();
        }
        assertThat(prevErr).isLessThan(1e-7);
    }

    @Test
    void adaptiveTapeSolverMatchesThePlainDormandPrinceSolve() {
        TimeMlp net = net(DType.FLOAT32, 32, 8);
        int n = 32;
        float[] x = points(n, 9);
        LikelihoodResult ref = LogLikelihood.compute(new MlpVelocityField(net, 1024, 2), x, n, DormandPrince54.withTolerances(1e-5, 1e-5),
                DivergenceMethod.EXACT, 0, new Rng(0));
        CnfLikelihood tape = CnfLikelihood.compute(new CnfDynamics(net, n, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null),
                new DormandPrinceTapeSolver(AdaptiveOptions.tolerances(1e-5, 1e-5)), Var.constant(Tensor.of(x, n, 2)));
        double[] lp = tape.logProb().value().toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertThat(lp[i]).isCloseTo(ref.logProb()[i], within(2e-4));
        }
        // the same controller on the same (float-rounded) field takes the same steps, give or take a rejection
        assertThat((double) tape.nfe()).isCloseTo(ref.nfe(), within(12.0));
    }

    @Test
    void adaptiveSolverStopsAtItsStepCap() {
        TimeMlp net = net(DType.FLOAT32, 16, 10);
        CnfDynamics f = new CnfDynamics(net, 4, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null);
        TapeSolver s = new DormandPrinceTapeSolver(AdaptiveOptions.tolerances(1e-12, 1e-12).withMaxSteps(3));
        assertThatThrownBy(() -> s.solve(f, Var.constant(Tensor.of(points(4, 1), 4, 2)), 1.0, 0.0))
                .isInstanceOf(OdeSolverException.class).hasMessageContaining("maxSteps=3");
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        TimeMlp net = net(DType.FLOAT32, 8, 1);
        assertThatThrownBy(() -> new FixedStepTapeSolver(SolverMethod.DOPRI5, 4)).hasMessageContaining("adaptive");
        assertThatThrownBy(() -> new FixedStepTapeSolver(SolverMethod.RK4, 0)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> new CnfDynamics(net, 4, DivergenceMethod.HUTCHINSON_RADEMACHER, 0, CnfDynamics.Mode.FORWARD, new Rng(1)))
                .hasMessageContaining("probe");
        CnfDynamics f = new CnfDynamics(net, 4, DivergenceMethod.EXACT, 0, CnfDynamics.Mode.FORWARD, null);
        assertThatThrownBy(() -> f.evaluate(0.5, Var.constant(Tensor.zeros(DType.FLOAT32, 3, 2)))).hasMessageContaining("[4, 2]");
    }
}
