package org.flowmatch4j.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TimeWeightedSchedulerTest {
    /**
     * What the numerical integral can reach at t: ~1e-12 relative, plus the rounding of quadrature abscissae near
     * t = 1 (doubles there are 1.1e-16 apart), which perturbs a w that is singular at 1 by about 1e-16/(1−t) relative.
     */
    static double numericTolerance(double t, double magnitude) {
        return 1e-12 * Math.max(1, Math.abs(magnitude)) + (t < 1 ? 2e-16 / (1 - t) : 0) * Math.max(1, Math.abs(magnitude));
    }

    static final double[] TIMES = {0, 1e-9, 1e-3, 0.03125, 0.1, 0.25, 0.5, 0.7, 0.9, 0.99, 0.999, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12};

    @Test
    void numericalIntegralMatchesClosedFormsToAbout1e12() {
        record Case(DoubleUnaryOperator w, DoubleUnaryOperator bigW) {
        }
        Case[] cases = {
            new Case(t -> 2 * t + Math.cos(t), t -> t * t + Math.sin(t)),
            new Case(t -> 1 / (1 - t), t -> -Math.log1p(-t)),
            new Case(t -> 3 / (1 - t), t -> -3 * Math.log1p(-t)),
            new Case(t -> Math.exp(5 * t), t -> Math.expm1(5 * t) / 5),
            new Case(t -> 0.5 / Math.sqrt(1 - t), t -> 1 - Math.sqrt(1 - t)),
        };
        for (Case c : cases) {
            TimeWeightedScheduler s = new TimeWeightedScheduler(c.w());
            for (double t : TIMES) {
                double exact = c.bigW().applyAsDouble(t);
                assertThat(s.integral(t)).as("W(%s)", t).isCloseTo(exact, within(numericTolerance(t, exact)));
            }
        }
    }

    @Test
    void rateOneOverRemainingTimeReproducesCondOT() {
        Scheduler cond = new CondOTScheduler();
        for (Scheduler s : new Scheduler[] {new TimeWeightedScheduler(t -> 1 / (1 - t)), TimeWeightedScheduler.condOT()}) {
            for (double t : TIMES) {
                // κ = 1 − t, so an error δW in W is an error (1 − t)·δW in σ and δW in w·κ
                assertThat(s.alpha(t)).as("alpha(%s)", t).isCloseTo(cond.alpha(t), within(1e-12));
                assertThat(s.sigma(t)).as("sigma(%s)", t).isCloseTo(cond.sigma(t), within(1e-12));
                assertThat(s.alphaDot(t)).as("alphaDot(%s)", t).isCloseTo(1.0, within(1e-11 + numericTolerance(t, 1)));
                assertThat(s.sigmaDot(t)).as("sigmaDot(%s)", t).isCloseTo(-1.0, within(1e-11 + numericTolerance(t, 1)));
            }
            // ∫₀¹ w = ∞: the path reaches x1 (κ_1 ≈ 0 numerically, exactly 0 with the exact W) and w·κ stays finite
            assertThat(s.sigma(1)).isCloseTo(0.0, within(1e-12));
            assertThat(s.alpha(1)).isCloseTo(1.0, within(1e-12));
            assertThat(s.alphaDot(1)).isCloseTo(1.0, within(1e-9));
            assertThat(s.sigmaDot(1)).isCloseTo(-1.0, within(1e-9));
        }
        assertThat(TimeWeightedScheduler.condOT().sigma(1)).isEqualTo(0.0);
        assertThat(new TimeWeightedScheduler(t -> 1 / (1 - t)).integral(1)).isInfinite();
        // the whole path agrees, not just the coefficients
        Rng rng = new Rng(1);
        Tensor x0 = rng.normal(DType.FLOAT64, 64, 3);
        Tensor x1 = rng.normal(DType.FLOAT64, 64, 3);
        Tensor t = rng.uniform(DType.FLOAT64, 0, 1, 64);
        PathSample a = new AffinePath(cond).sample(x0, x1, t, null);
        PathSample b = new AffinePath(new TimeWeightedScheduler(r -> 1 / (1 - r))).sample(x0, x1, t, null);
        AffinePathTest.assertClose(b.xt(), a.xt(), 1e-12);
        AffinePathTest.assertClose(b.ut(), a.ut(), 1e-9);
    }

    @Test
    void rateNOverRemainingTimeGivesSigmaOneMinusTToTheN() {
        for (double n : new double[] {0.5, 2, 3}) {
            double nn = n;
            for (Scheduler s : new Scheduler[] {new TimeWeightedScheduler(t -> nn / (1 - t)), TimeWeightedScheduler.reciprocal(n)}) {
                for (double t : TIMES) {
                    double sigma = Math.pow(1 - t, n);
                    double sigmaDot = -n * Math.pow(1 - t, n - 1);
                    // relative error of σ = κ is the absolute error of W = −n·ln(1−t)
                    double tol = 1e-12 + sigma * numericTolerance(t, n * Math.log1p(-t));
                    assertThat(s.sigma(t)).as("n=%s sigma(%s)", n, t).isCloseTo(sigma, within(tol));
                    assertThat(s.alpha(t)).isCloseTo(1 - sigma, within(tol));
                    if (t <= 1 - Scheduler.SINGULAR_EDGE) {
                        assertThat(s.sigmaDot(t)).as("n=%s sigmaDot(%s)", n, t)
                                .isCloseTo(sigmaDot, within(1e-10 + Math.abs(sigmaDot) * numericTolerance(t, n * Math.log1p(-t))));
                    }
                }
                assertThat(s.sigma(1)).isEqualTo(0.0);
                assertThat(s.alpha(1)).isEqualTo(1.0);
                assertThat(s.sigmaDot(1)).isFinite();
            }
        }
        // n = 2 against the polynomial family mirrored in time: σ_t = (1−t)² is 1 − α of PolynomialScheduler(2) at 1 − t
        Scheduler tw = TimeWeightedScheduler.reciprocal(2);
        Scheduler poly = new PolynomialScheduler(2);
        for (double t : TIMES) {
            assertThat(tw.sigma(t)).isCloseTo(poly.alpha(1 - t), within(1e-12));
        }
    }

    @Test
    void derivativesOfANumericallyIntegratedRateMatchFiniteDifferences() {
        TimeWeightedScheduler s = new TimeWeightedScheduler(t -> 2 + Math.sin(3 * t) + t / (1 - t));
        for (double t : SchedulerTest.INTERIOR) {
            double da = SchedulerTest.derivative(s::alpha, t);
            assertThat(s.alphaDot(t)).as("alphaDot(%s)", t).isCloseTo(da, within(1e-7 * Math.max(1, Math.abs(da))));
            assertThat(s.sigmaDot(t)).isCloseTo(-s.alphaDot(t), within(0.0));
        }
    }

    @Test
    void theSeedsTargetIsTheRateTimesTheRemainingDistance() {
        // u_t(x | x1) = w(t)·(x1 − x) evaluated at x = x_t equals the affine path's α'·x1 + σ'·x0
        DoubleUnaryOperator w = t -> 2 + Math.sin(3 * t);
        AffinePath path = new AffinePath(new TimeWeightedScheduler(w));
        Rng rng = new Rng(2);
        Tensor x0 = rng.normal(DType.FLOAT64, 32, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 32, 2);
        Tensor t = rng.uniform(DType.FLOAT64, 0, 1, 32);
        PathSample p = path.sample(x0, x1, t, null);
        for (int i = 0; i < 32; i++) {
            double wi = w.applyAsDouble(t.getDouble(i));
            for (int j = 0; j < 2; j++) {
                assertThat(p.ut().get(i, j)).isCloseTo(wi * (x1.get(i, j) - p.xt().get(i, j)), within(1e-12));
            }
        }
    }

    @Test
    void aRateWithFiniteIntegralNeverReachesTheData() {
        TimeWeightedScheduler s = new TimeWeightedScheduler(t -> 1.0);
        assertThat(s.kappa(1)).isCloseTo(Math.exp(-1), within(1e-15));
        assertThat(s.sigma(1)).isCloseTo(Math.exp(-1), within(1e-15));
        assertThat(s.alphaDot(1)).isCloseTo(Math.exp(-1), within(1e-15));
        // an integrable singularity at 1 is not mistaken for a divergent one: W(1) = ∫₀¹ 0.5/√(1−t) = 1
        TimeWeightedScheduler sqrt = new TimeWeightedScheduler(t -> 0.5 / Math.sqrt(1 - t));
        assertThat(sqrt.integral(1)).isCloseTo(1.0, within(1e-6));
        assertThat(sqrt.sigma(1)).isCloseTo(Math.exp(-1), within(1e-6));
        assertThat(s.alpha(1e-9)).isCloseTo(1e-9 - 0.5e-18, within(1e-24));
    }

    @Test
    void badRatesAndIntegralsAreRejected() {
        assertThatThrownBy(() -> new TimeWeightedScheduler(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> new TimeWeightedScheduler(t -> 1, t -> t + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W(0)").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new TimeWeightedScheduler(t -> t > 0.4 && t < 0.45 ? Double.NaN : 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not integrable");
        assertThatThrownBy(() -> TimeWeightedScheduler.reciprocal(0)).isInstanceOf(IllegalArgumentException.class);
        // a rate that blows up in the interior: w·κ is not finite there, which is an error, not a clamp
        TimeWeightedScheduler pole = new TimeWeightedScheduler(t -> t == 0.5 ? Double.POSITIVE_INFINITY : 1.0, t -> t);
        assertThatThrownBy(() -> pole.alphaDot(0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t = 0.5");
    }

    @Test
    void gaussKronrodRulesHaveTheirPolynomialExactness() {
        // K15 integrates degree 22 exactly, G7 degree 13 (and not 14)
        for (int deg = 0; deg <= 22; deg++) {
            int p = deg;
            double exact = (Math.pow(2, p + 1) - Math.pow(-1, p + 1)) / (p + 1);
            assertThat(GaussKronrod.kronrod15(x -> Math.pow(x, p), -1, 2)).as("K15 x^%d", p).isCloseTo(exact, within(1e-12 * Math.abs(exact) + 1e-13));
            if (deg <= 13) {
                assertThat(GaussKronrod.gauss7(x -> Math.pow(x, p), -1, 2)).as("G7 x^%d", p).isCloseTo(exact, within(1e-12 * Math.abs(exact) + 1e-13));
            }
        }
        double g14 = GaussKronrod.gauss7(x -> Math.pow(x, 14), -1, 1);
        assertThat(Math.abs(g14 - 2.0 / 15)).isGreaterThan(1e-6);
        // adaptive: a sharp peak and an integrable end-point singularity
        assertThat(GaussKronrod.integrate(x -> 1 / (1e-4 + x * x), -1, 1, 1e-13, 1e-14, 1_000_000))
                .isCloseTo(2 * Math.atan(1 / 1e-2) / 1e-2, within(1e-10));
        assertThat(GaussKronrod.integrate(x -> 1 / Math.sqrt(x), 0, 1, 1e-13, 1e-14, 1_000_000)).isCloseTo(2.0, within(1e-7));
    }
}
