package org.flowmatch4j.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AffinePathTest {
    static final List<Scheduler> SCHEDULERS = List.of(new CondOTScheduler(), new CondOTScheduler(0.02), new PolynomialScheduler(2),
            new CosineScheduler(), new VPScheduler(), new LinearVPScheduler(), TimeWeightedScheduler.reciprocal(3),
            new TimeWeightedScheduler(t -> 2 + Math.sin(3 * t)));

    static void assertClose(Tensor actual, Tensor expected, double tol) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        for (int i = 0; i < actual.numel(); i++) {
            double e = expected.getDouble(i);
            assertThat(actual.getDouble(i)).as("element %d", i).isCloseTo(e, within(tol * Math.max(1, Math.abs(e))));
        }
    }

    static Tensor times(double... t) {
        return Tensor.of(t.clone(), t.length);
    }

    @Test
    void sampleIsTheAffineCombinationPerRowWithEachRowsOwnTime() {
        Rng rng = new Rng(1);
        Tensor x0 = rng.normal(DType.FLOAT64, 5, 3);
        Tensor x1 = rng.normal(DType.FLOAT64, 5, 3);
        Tensor t = times(0.0, 0.2, 0.5, 0.9, 1.0);
        for (Scheduler s : SCHEDULERS) {
            PathSample p = new AffinePath(s).sample(x0, x1, t, null);
            for (int i = 0; i < 5; i++) {
                double ti = t.getDouble(i);
                for (int j = 0; j < 3; j++) {
                    assertThat(p.xt().get(i, j)).isCloseTo(s.alpha(ti) * x1.get(i, j) + s.sigma(ti) * x0.get(i, j), within(1e-14));
                    assertThat(p.ut().get(i, j)).isCloseTo(s.alphaDot(ti) * x1.get(i, j) + s.sigmaDot(ti) * x0.get(i, j), within(1e-12));
                }
            }
            assertThat(p.t()).isSameAs(t);
            assertThat(p.x0()).isSameAs(x0);
            assertThat(p.x1()).isSameAs(x1);
        }
    }

    @Test
    void targetVelocityIsTheTimeDerivativeOfTheSampledPoint() {
        Rng rng = new Rng(2);
        Tensor x0 = rng.normal(DType.FLOAT64, 4, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 4, 2);
        double[] ts = {0.1, 0.35, 0.6, 0.95};
        double h = 1e-5;
        for (Scheduler s : SCHEDULERS) {
            AffinePath path = new AffinePath(s);
            double[] up = ts.clone();
            double[] dn = ts.clone();
            for (int i = 0; i < ts.length; i++) {
                up[i] += h;
                dn[i] -= h;
            }
            Tensor fd = path.sample(x0, x1, times(up), null).xt().sub(path.sample(x0, x1, times(dn), null).xt()).mul(1 / (2 * h));
            assertClose(path.sample(x0, x1, times(ts), null).ut(), fd, 1e-7);
        }
    }

    @Test
    void endpointsAreTheSourceAndTheData() {
        Rng rng = new Rng(3);
        Tensor x0 = rng.normal(DType.FLOAT64, 3, 4);
        Tensor x1 = rng.normal(DType.FLOAT64, 3, 4);
        for (Scheduler s : List.of(new CondOTScheduler(), new PolynomialScheduler(3), new CosineScheduler(), new LinearVPScheduler(),
                TimeWeightedScheduler.condOT())) {
            AffinePath path = new AffinePath(s);
            assertClose(path.sample(x0, x1, times(0, 0, 0), null).xt(), x0, 0);
            assertClose(path.sample(x0, x1, times(1, 1, 1), null).xt(), x1, 1e-15);
        }
        // σ_min: the path ends in the σ_min-neighbourhood of x1, exactly at x1 + σ_min·x0
        PathSample end = new AffinePath(new CondOTScheduler(0.1)).sample(x0, x1, times(1, 1, 1), null);
        assertClose(end.xt(), x1.add(x0.mul(0.1)), 1e-15);
        // VP starts at α_0·x1 + σ_0·x0 with α_0 = e^{−T(1)/2} ≈ 0.0066: close to, not at, the source
        PathSample vpStart = new AffinePath(new VPScheduler()).sample(x0, x1, times(0, 0, 0), null);
        assertClose(vpStart.xt(), x0, 0.02);
        assertClose(new AffinePath(new VPScheduler()).sample(x0, x1, times(1, 1, 1), null).xt(), x1, 0);
    }

    @Test
    void float32MatchesFloat64AndTimeMayBeEitherType() {
        Rng rng = new Rng(4);
        Tensor x0 = rng.normal(DType.FLOAT64, 6, 5);
        Tensor x1 = rng.normal(DType.FLOAT64, 6, 5);
        Tensor t = rng.uniform(DType.FLOAT32, 0, 1, 6);
        AffinePath path = new AffinePath(new CosineScheduler());
        PathSample d = path.sample(x0, x1, t, null);
        PathSample f = path.sample(x0.to(DType.FLOAT32), x1.to(DType.FLOAT32), t.to(DType.FLOAT64), null);
        assertThat(f.xt().dtype()).isEqualTo(DType.FLOAT32);
        assertClose(f.xt(), d.xt(), 1e-6);
        assertClose(f.ut(), d.ut(), 1e-6);
        Tensor v = path.convert(f.x1(), PredictionTarget.X1, PredictionTarget.VELOCITY, f.xt(), t);
        assertThat(v.dtype()).isEqualTo(DType.FLOAT32);
        assertClose(v, d.ut(), 1e-5);
    }

    @Test
    void higherRankStatesAreTreatedRowWise() {
        Rng rng = new Rng(5);
        Tensor x0 = rng.normal(DType.FLOAT64, 2, 3, 4);
        Tensor x1 = rng.normal(DType.FLOAT64, 2, 3, 4);
        PathSample p = new AffinePath(new CondOTScheduler()).sample(x0, x1, times(0.25, 0.75), null);
        assertThat(p.xt().get(1, 2, 3)).isCloseTo(0.75 * x1.get(1, 2, 3) + 0.25 * x0.get(1, 2, 3), within(1e-15));
        assertThat(p.xt().get(0, 1, 0)).isCloseTo(0.25 * x1.get(0, 1, 0) + 0.75 * x0.get(0, 1, 0), within(1e-15));
    }

    @Test
    void everyConversionRecoversTheTrueQuantityFromTheTrueOne() {
        Rng rng = new Rng(6);
        Tensor x0 = rng.normal(DType.FLOAT64, 7, 3);
        Tensor x1 = rng.normal(DType.FLOAT64, 7, 3);
        Tensor t = times(0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99);
        for (Scheduler s : SCHEDULERS) {
            AffinePath path = new AffinePath(s);
            PathSample p = path.sample(x0, x1, t, null);
            for (PredictionTarget from : PredictionTarget.values()) {
                for (PredictionTarget to : PredictionTarget.values()) {
                    Tensor converted = path.convert(path.target(p, from), from, to, p.xt(), t);
                    assertThat(converted).isNotSameAs(path.target(p, from));
                    // ε = (x_t − α·x1)/σ at t = 0.99 amplifies rounding by 1/σ (~1e3 for VP-like schedulers)
                    assertClose(converted, path.target(p, to), 1e-9);
                }
            }
        }
    }

    @Test
    void conversionsRoundTripOnArbitraryPredictions() {
        Rng rng = new Rng(7);
        Tensor xt = rng.normal(DType.FLOAT64, 5, 2);
        Tensor pred = rng.normal(DType.FLOAT64, 5, 2);
        Tensor t = times(0.05, 0.25, 0.5, 0.75, 0.95);
        for (Scheduler s : SCHEDULERS) {
            AffinePath path = new AffinePath(s);
            for (PredictionTarget a : PredictionTarget.values()) {
                for (PredictionTarget b : PredictionTarget.values()) {
                    Tensor there = path.convert(pred, a, b, xt, t);
                    assertClose(path.convert(there, b, a, xt, t), pred, 1e-10);
                }
            }
        }
    }

    @Test
    void conversionsAcceptABroadcastTime() {
        Rng rng = new Rng(8);
        Tensor xt = rng.normal(DType.FLOAT64, 4, 2);
        Tensor pred = rng.normal(DType.FLOAT64, 4, 2);
        AffinePath path = new AffinePath(new PolynomialScheduler(2));
        Tensor one = path.convert(pred, PredictionTarget.EPSILON, PredictionTarget.VELOCITY, xt, times(0.4));
        Tensor full = path.convert(pred, PredictionTarget.EPSILON, PredictionTarget.VELOCITY, xt, times(0.4, 0.4, 0.4, 0.4));
        assertClose(one, full, 0);
    }

    @Test
    void singularConversionsThrowNamingTimeAndCoefficient() {
        Tensor xt = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        AffinePath condOT = new AffinePath(new CondOTScheduler());
        assertThatThrownBy(() -> condOT.convert(xt, PredictionTarget.X1, PredictionTarget.VELOCITY, xt, times(0.5, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t = 1.0").hasMessageContaining("row 1")
                .hasMessageContaining("sigma_t");
        assertThatThrownBy(() -> condOT.convert(xt, PredictionTarget.EPSILON, PredictionTarget.X1, xt, times(0.0, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha_t").hasMessageContaining("row 0");
        // the velocity conversions stay regular at both ends (D = −1 for CondOT)
        Tensor x1 = condOT.convert(xt, PredictionTarget.VELOCITY, PredictionTarget.X1, xt, times(0.0, 1.0));
        // at t = 1, x_t = x1 whatever v is; at t = 0, x1 = x_t + v
        assertThat(x1.get(1, 0)).isEqualTo(3.0);
        assertThat(x1.get(0, 1)).isEqualTo(4.0);
        // with σ_min > 0 the x1 → velocity conversion is regular at t = 1
        Tensor v = new AffinePath(new CondOTScheduler(0.1)).convert(xt, PredictionTarget.X1, PredictionTarget.VELOCITY, xt, times(1, 1));
        assertThat(v.allFinite()).isTrue();
    }

    @Test
    void regressionTargetsPerPredictionType() {
        Rng rng = new Rng(9);
        Tensor x0 = rng.normal(DType.FLOAT32, 3, 2);
        Tensor x1 = rng.normal(DType.FLOAT32, 3, 2);
        AffinePath path = new AffinePath(new CondOTScheduler());
        PathSample p = path.sample(x0, x1, times(0.1, 0.5, 0.9), null);
        assertThat(path.target(p, PredictionTarget.X1)).isSameAs(x1);
        assertThat(path.target(p, PredictionTarget.EPSILON)).isSameAs(x0);
        assertThat(path.target(p, PredictionTarget.VELOCITY)).isSameAs(p.ut());
        assertClose(p.ut(), x1.sub(x0), 1e-7);
    }

    @Test
    void badShapesAreRejectedNamingBothShapes() {
        AffinePath path = new AffinePath(new CondOTScheduler());
        Tensor a = Tensor.zeros(DType.FLOAT32, 4, 2);
        Tensor b = Tensor.zeros(DType.FLOAT32, 4, 3);
        Tensor t4 = Tensor.zeros(DType.FLOAT32, 4);
        assertThatThrownBy(() -> path.sample(a, b, t4, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 2]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> path.sample(a, a, Tensor.zeros(DType.FLOAT32, 5), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[5]").hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> path.sample(a, a, Tensor.zeros(DType.FLOAT32, 4, 1), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 1]");
        assertThatThrownBy(() -> path.sample(a, Tensor.zeros(DType.FLOAT64, 4, 2), t4, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32").hasMessageContaining("float64");
        assertThatThrownBy(() -> path.sample(Tensor.zeros(DType.FLOAT32, 4), Tensor.zeros(DType.FLOAT32, 4), t4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank");
        assertThatThrownBy(() -> path.sample(a, a, Tensor.full(DType.FLOAT32, 1.5, 4), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> path.convert(a, PredictionTarget.X1, PredictionTarget.VELOCITY, b, t4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 2]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> new AffinePath(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathSample(t4, a, a, a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ut").hasMessageContaining("[4, 3]");
    }

    @Test
    void predictionTargetParsing() {
        assertThat(PredictionTarget.parse("velocity")).isEqualTo(PredictionTarget.VELOCITY);
        assertThat(PredictionTarget.parse(" X1 ")).isEqualTo(PredictionTarget.X1);
        assertThat(PredictionTarget.parse("Epsilon")).isEqualTo(PredictionTarget.EPSILON);
        assertThatThrownBy(() -> PredictionTarget.parse("score")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'score'").hasMessageContaining("velocity, x1, epsilon");
        assertThatThrownBy(() -> PredictionTarget.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
