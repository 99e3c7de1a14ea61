package org.flowmatch4j.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class SchedulerTest {
    static final List<Scheduler> ALL = List.of(
            new CondOTScheduler(), new CondOTScheduler(0.01), new PolynomialScheduler(1), new PolynomialScheduler(2),
            new PolynomialScheduler(3.5), new CosineScheduler(), new VPScheduler(), new VPScheduler(0.5, 5.0),
            new LinearVPScheduler(), TimeWeightedScheduler.condOT(), TimeWeightedScheduler.reciprocal(2.5),
            new TimeWeightedScheduler(t -> 1.0 + t * t), new TimeWeightedScheduler(t -> 0.5 / (1.0 - t)));

    static final double[] INTERIOR = {1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 1.0 / 3, 0.5, 0.6, 0.75, 0.9, 0.99, 0.999, 1 - 1e-4};

    /**
     * Fourth-order central difference with a step scaled to the distance from the ends, so functions that vary
     * like √(1−t) near t = 1 are resolved.
     */
    static double derivative(DoubleUnaryOperator f, double t) {
        double h = Math.min(1e-4, Math.min(t, 1 - t) / 50);
        return (8 * (f.applyAsDouble(t + h) - f.applyAsDouble(t - h)) - (f.applyAsDouble(t + 2 * h) - f.applyAsDouble(t - 2 * h)))
                / (12 * h);
    }

    @Test
    void derivativesMatchFiniteDifferencesAtManyTimesIncludingNearTheEnds() {
        for (Scheduler s : ALL) {
            for (double t : INTERIOR) {
                double da = derivative(s::alpha, t);
                double ds = derivative(s::sigma, t);
                assertThat(s.alphaDot(t)).as("%s alphaDot(%s)", s.name(), t).isCloseTo(da, within(2e-7 * Math.max(1, Math.abs(da))));
                assertThat(s.sigmaDot(t)).as("%s sigmaDot(%s)", s.name(), t).isCloseTo(ds, within(2e-7 * Math.max(1, Math.abs(ds))));
            }
        }
    }

    @Test
    void oneSidedDerivativesAtTheEndsForRegularSchedulers() {
        List<Scheduler> regular = List.of(new CondOTScheduler(), new CondOTScheduler(0.1), new PolynomialScheduler(2),
                new CosineScheduler());
        double h = 1e-5;
        for (Scheduler s : regular) {
            // second-order one-sided differences
            double a0 = (-3 * s.alpha(0) + 4 * s.alpha(h) - s.alpha(2 * h)) / (2 * h);
            double s1 = (3 * s.sigma(1) - 4 * s.sigma(1 - h) + s.sigma(1 - 2 * h)) / (2 * h);
            assertThat(s.alphaDot(0)).as(s.name()).isCloseTo(a0, within(1e-8));
            assertThat(s.sigmaDot(1)).as(s.name()).isCloseTo(s1, within(1e-8));
        }
    }

    @Test
    void endpointValues() {
        for (Scheduler s : List.of(new CondOTScheduler(), new PolynomialScheduler(2), new CosineScheduler(), new LinearVPScheduler())) {
            assertThat(s.alpha(0)).as(s.name()).isEqualTo(0.0);
            assertThat(s.sigma(0)).as(s.name()).isEqualTo(1.0);
            assertThat(s.alpha(1)).as(s.name()).isEqualTo(1.0);
            assertThat(s.sigma(1)).as(s.name()).isEqualTo(0.0);
        }
        CondOTScheduler withMin = new CondOTScheduler(0.05);
        assertThat(withMin.sigma(1)).isCloseTo(0.05, within(1e-15));
        assertThat(withMin.sigmaDot(0.3)).isEqualTo(-0.95);
        VPScheduler vp = new VPScheduler();
        assertThat(vp.alpha(1)).isEqualTo(1.0);
        assertThat(vp.sigma(1)).isEqualTo(0.0);
        // T(1) = βmin + (βmax − βmin)/2 = 10.05
        assertThat(vp.alpha(0)).isCloseTo(Math.exp(-0.5 * 10.05), within(1e-15));
    }

    @Test
    void closedFormValuesAtInteriorTimes() {
        double t = 0.3;
        assertThat(new PolynomialScheduler(3).alpha(t)).isCloseTo(0.027, within(1e-15));
        assertThat(new PolynomialScheduler(3).sigmaDot(t)).isCloseTo(-3 * 0.09, within(1e-15));
        assertThat(new CosineScheduler().alpha(t)).isCloseTo(Math.sin(0.15 * Math.PI), within(1e-15));
        assertThat(new LinearVPScheduler().sigma(t)).isCloseTo(Math.sqrt(0.91), within(1e-15));
        VPScheduler vp = new VPScheduler(0.1, 20);
        double s = 0.7;
        double bigT = 0.1 * s + 0.5 * 19.9 * s * s;
        assertThat(vp.alpha(t)).isCloseTo(Math.exp(-0.5 * bigT), within(1e-15));
        assertThat(vp.alphaDot(t)).isCloseTo(0.5 * (0.1 + 19.9 * s) * Math.exp(-0.5 * bigT), within(1e-13));
    }

    @Test
    void variancePreservingSchedulersKeepAlphaSquaredPlusSigmaSquaredOne() {
        for (Scheduler s : List.of(new CosineScheduler(), new VPScheduler(), new VPScheduler(0.0, 3.0), new LinearVPScheduler())) {
            for (int k = 0; k <= 100; k++) {
                double t = k / 100.0;
                double a = s.alpha(t);
                double sg = s.sigma(t);
                assertThat(a * a + sg * sg).as("%s at %s", s.name(), t).isCloseTo(1.0, within(1e-14));
            }
        }
    }

    @Test
    void singularDerivativesAreClampedFiniteNearOne() {
        double edge = 1 - Scheduler.SINGULAR_EDGE;
        for (Scheduler s : List.of(new VPScheduler(), new LinearVPScheduler())) {
            double atEdge = s.sigmaDot(edge);
            assertThat(atEdge).as(s.name()).isFinite().isLessThan(-100);
            for (double t : new double[] {1.0, Math.nextDown(1.0), 1 - 1e-9, 1 - 5e-7}) {
                assertThat(s.sigmaDot(t)).as("%s at %s", s.name(), t).isEqualTo(atEdge);
                assertThat(s.alphaDot(t)).isFinite();
                assertThat(s.sigma(t)).isFinite().isGreaterThanOrEqualTo(0.0);
            }
            // the clamp is the largest magnitude the derivative ever takes: |σ'| grows monotonically towards t = 1
            double prev = 0;
            for (double t = 0.5; t <= edge; t += (edge - t) / 2 + 1e-12) {
                double m = Math.abs(s.sigmaDot(t));
                assertThat(m).isGreaterThanOrEqualTo(prev).isLessThanOrEqualTo(Math.abs(atEdge) * (1 + 1e-12));
                prev = m;
                if (edge - t < 1e-9) {
                    break;
                }
            }
        }
        // the exact limits the clamp stands in for: Linear VP σ' ≈ −1/√(2(1−t)), VP σ' ≈ −½√(βmin/(1−t))
        assertThat(new LinearVPScheduler().sigmaDot(1)).isCloseTo(-1 / Math.sqrt(2e-6), within(1e-3));
        assertThat(new VPScheduler().sigmaDot(1)).isCloseTo(-0.5 * Math.sqrt(0.1 / 1e-6), within(0.5));
        // σ itself is exact near 1: VP σ ≈ √(βmin·s) to leading order
        double tNear = 1 - 1e-12;
        double s = 1 - tNear;
        assertThat(new VPScheduler().sigma(tNear)).isCloseTo(Math.sqrt(0.1 * s), within(1e-9 * Math.sqrt(0.1 * s)));
    }

    @Test
    void timesOutsideTheUnitIntervalAreRejected() {
        for (Scheduler s : ALL) {
            for (double bad : new double[] {-1e-9, 1.0 + 1e-9, Double.NaN}) {
                assertThatThrownBy(() -> s.alpha(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(bad));
                assertThatThrownBy(() -> s.sigma(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> s.alphaDot(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> s.sigmaDot(bad)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void badParametersAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> new CondOTScheduler(1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.0");
        assertThatThrownBy(() -> new CondOTScheduler(-0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new PolynomialScheduler(0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5");
        assertThatThrownBy(() -> new VPScheduler(5, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("betaMin=5.0");
        assertThatThrownBy(() -> new VPScheduler(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAreShortAndDistinct() {
        assertThat(new CondOTScheduler().name()).isEqualTo("condot");
        assertThat(new CondOTScheduler(0.01).name()).isEqualTo("condot(sigma_min=0.01)");
        assertThat(new PolynomialScheduler(2).name()).isEqualTo("polynomial(n=2)");
        assertThat(new PolynomialScheduler(2.5).name()).isEqualTo("polynomial(n=2.5)");
        assertThat(ALL.stream().map(Scheduler::name).distinct().count()).isGreaterThanOrEqualTo(10);
    }
}
