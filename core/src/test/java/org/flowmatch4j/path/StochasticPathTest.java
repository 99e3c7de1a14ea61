package org.flowmatch4j.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StochasticPathTest {
    /** B copies of one row. */
    static Tensor repeat(double[] row, int b) {
        double[] d = new double[row.length * b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(row, 0, d, i * row.length, row.length);
        }
        return Tensor.of(d, b, row.length);
    }

    /** Checks the sample mean and variance of each column of xt against the formula (4 standard errors). */
    static void assertColumnMoments(Tensor xt, double[] mean, double variance) {
        int b = xt.size(0);
        int d = xt.size(1);
        for (int j = 0; j < d; j++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < b; i++) {
                double v = xt.get(i, j) - mean[j];
                s += v;
                s2 += v * v;
            }
            double m = s / b;
            double var = s2 / b - m * m;
            assertThat(m).as("mean offset of column %d", j).isCloseTo(0.0, within(4 * Math.sqrt(variance / b) + 1e-12));
            assertThat(var).as("variance of column %d", j).isCloseTo(variance, within(4 * variance * Math.sqrt(2.0 / b) + 1e-15));
        }
    }

    static final double[] X0 = {1.0, -2.0, 0.5};
    static final double[] X1 = {3.0, 0.5, -1.5};
    static final int DRAWS = 20000;

    @Test
    void independentNoisePathHasTheLineAsMeanAndConstantVariance() {
        double sigma = 0.3;
        GaussianPath path = new GaussianPath(sigma);
        Rng rng = new Rng(10);
        for (double t : new double[] {0.0, 0.3, 0.8, 1.0}) {
            PathSample p = path.sample(repeat(X0, DRAWS), repeat(X1, DRAWS), Tensor.full(DType.FLOAT64, t, DRAWS), rng);
            double[] mu = new double[3];
            for (int j = 0; j < 3; j++) {
                mu[j] = (1 - t) * X0[j] + t * X1[j];
            }
            assertColumnMoments(p.xt(), mu, sigma * sigma);
            for (int i = 0; i < 3; i++) {
                assertThat(p.ut().get(0, i)).isEqualTo(X1[i] - X0[i]);
                assertThat(p.ut().get(DRAWS - 1, i)).isEqualTo(X1[i] - X0[i]);
            }
        }
    }

    @Test
    void bridgeHasTheLineAsMeanAndVarianceSigmaSquaredTTimesOneMinusT() {
        double sigma = 0.7;
        SchrodingerBridgePath path = new SchrodingerBridgePath(sigma);
        Rng rng = new Rng(11);
        for (double t : new double[] {0.1, 0.5, 0.85}) {
            PathSample p = path.sample(repeat(X0, DRAWS), repeat(X1, DRAWS), Tensor.full(DType.FLOAT64, t, DRAWS), rng);
            double[] mu = new double[3];
            for (int j = 0; j < 3; j++) {
                mu[j] = (1 - t) * X0[j] + t * X1[j];
            }
            assertColumnMoments(p.xt(), mu, sigma * sigma * t * (1 - t));
            assertThat(path.sigmaAt(t)).isCloseTo(sigma * Math.sqrt(t * (1 - t)), within(1e-15));
        }
    }

    @Test
    void bridgeTargetIsTheTimeDerivativeAlongFixedNoise() {
        SchrodingerBridgePath path = new SchrodingerBridgePath(0.5);
        Rng init = new Rng(12);
        Tensor x0 = init.normal(DType.FLOAT64, 6, 3);
        Tensor x1 = init.normal(DType.FLOAT64, 6, 3);
        double[] ts = {0.02, 0.1, 0.3, 0.5, 0.8, 0.97};
        double h = 1e-6;
        double[] up = ts.clone();
        double[] dn = ts.clone();
        for (int i = 0; i < ts.length; i++) {
            up[i] += h;
            dn[i] -= h;
        }
        // the same seed gives the same ε, so x_t(ε) can be differenced in t
        long seed = 99;
        Tensor plus = path.sample(x0, x1, Tensor.of(up, 6), new Rng(seed)).xt();
        Tensor minus = path.sample(x0, x1, Tensor.of(dn, 6), new Rng(seed)).xt();
        PathSample p = path.sample(x0, x1, Tensor.of(ts.clone(), 6), new Rng(seed));
        AffinePathTest.assertClose(p.ut(), plus.sub(minus).mul(1 / (2 * h)), 1e-6);
        // and equals the documented formula (1−2t)/(2t(1−t))·(x_t − μ_t) + (x1 − x0)
        for (int i = 0; i < 6; i++) {
            double t = ts[i];
            for (int j = 0; j < 3; j++) {
                double mu = (1 - t) * x0.get(i, j) + t * x1.get(i, j);
                double expected = (1 - 2 * t) / (2 * t * (1 - t)) * (p.xt().get(i, j) - mu) + x1.get(i, j) - x0.get(i, j);
                assertThat(p.ut().get(i, j)).isCloseTo(expected, within(1e-10));
            }
        }
    }

    @Test
    void bridgeIsGuardedAtAndNearTheEnds() {
        SchrodingerBridgePath path = new SchrodingerBridgePath(1.0);
        Rng init = new Rng(13);
        Tensor x0 = init.normal(DType.FLOAT32, 4, 2);
        Tensor x1 = init.normal(DType.FLOAT32, 4, 2);
        PathSample p = path.sample(x0, x1, Tensor.of(new float[] {0f, 1f, 1e-12f, Math.nextDown(1f)}, 4), new Rng(1));
        assertThat(p.xt().allFinite()).isTrue();
        assertThat(p.ut().allFinite()).isTrue();
        for (int j = 0; j < 2; j++) {
            // σ_t = 0 at both ends: x_t is the end point and the target the straight-line velocity
            assertThat(p.xt().get(0, j)).isEqualTo(x0.get(0, j));
            assertThat(p.xt().get(1, j)).isEqualTo(x1.get(1, j));
            assertThat(p.ut().get(0, j)).isCloseTo(x1.get(0, j) - x0.get(0, j), within(1e-6));
            assertThat(p.ut().get(1, j)).isCloseTo(x1.get(1, j) - x0.get(1, j), within(1e-6));
        }
        // next to the ends the noise term is bounded by σ/(2√guard)·|ε|
        double bound = 1.0 / (2 * Math.sqrt(SchrodingerBridgePath.TIME_GUARD)) * 6;
        for (int i = 2; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(Math.abs(p.ut().get(i, j) - (x1.get(i, j) - x0.get(i, j)))).isLessThan(bound);
            }
        }
        assertThat(SchrodingerBridgePath.noiseCoefficient(0.0)).isEqualTo(SchrodingerBridgePath.noiseCoefficient(SchrodingerBridgePath.TIME_GUARD));
        assertThat(SchrodingerBridgePath.noiseCoefficient(0.25)).isCloseTo(0.5 / (2 * 0.25 * 0.75), within(1e-15));
    }

    @Test
    void sameSeedSameNumbersDifferentSeedDifferentNumbers() {
        Rng init = new Rng(14);
        Tensor x0 = init.normal(DType.FLOAT32, 16, 4);
        Tensor x1 = init.normal(DType.FLOAT32, 16, 4);
        Tensor t = init.uniform(DType.FLOAT32, 0, 1, 16);
        ProbabilityPath[] paths = {new GaussianPath(0.1), new SchrodingerBridgePath(0.5),
            new NoisyTargetPath(new AffinePath(new CondOTScheduler()), 0.2), new NoisyTargetPath(new SchrodingerBridgePath(0.3), 0.2)};
        for (ProbabilityPath path : paths) {
            PathSample a = path.sample(x0, x1, t, new Rng(5));
            PathSample b = path.sample(x0, x1, t, new Rng(5));
            PathSample c = path.sample(x0, x1, t, new Rng(6));
            assertThat(a.xt().floatData()).isEqualTo(b.xt().floatData());
            assertThat(a.ut().floatData()).isEqualTo(b.ut().floatData());
            // I-CFM's randomness is in x_t, the noisy target's in u_t, the bridge's in both
            boolean differs = !java.util.Arrays.equals(a.xt().floatData(), c.xt().floatData())
                    || !java.util.Arrays.equals(a.ut().floatData(), c.ut().floatData());
            assertThat(differs).as(path.toString()).isTrue();
        }
    }

    @Test
    void stochasticPathsNeedAnRngAndValidateSigma() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 2);
        Tensor t = Tensor.zeros(DType.FLOAT32, 2);
        assertThatThrownBy(() -> new GaussianPath(0.1).sample(x, x, t, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rng");
        assertThatThrownBy(() -> new SchrodingerBridgePath(0.1).sample(x, x, t, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoisyTargetPath(new GaussianPath(0), 0.1).sample(x, x, t, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GaussianPath(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new SchrodingerBridgePath(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new NoisyTargetPath(null, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GaussianPath(0.1).sample(x, Tensor.zeros(DType.FLOAT32, 3, 2), t, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2]").hasMessageContaining("[3, 2]");
    }

    /** Least-squares fit u ≈ a + b·x; returns {a, b, mean loss, variance of the per-sample loss}. */
    static double[] fitLine(Tensor x, Tensor u) {
        int n = x.size(0);
        double mx = 0;
        double mu = 0;
        for (int i = 0; i < n; i++) {
            mx += x.getDouble(i);
            mu += u.getDouble(i);
        }
        mx /= n;
        mu /= n;
        double sxx = 0;
        double sxu = 0;
        for (int i = 0; i < n; i++) {
            double dx = x.getDouble(i) - mx;
            sxx += dx * dx;
            sxu += dx * (u.getDouble(i) - mu);
        }
        double b = sxu / sxx;
        double a = mu - b * mx;
        double l = 0;
        double l2 = 0;
        for (int i = 0; i < n; i++) {
            double r = a + b * x.getDouble(i) - u.getDouble(i);
            l += r * r;
            l2 += r * r * r * r;
        }
        l /= n;
        return new double[] {a, b, l, l2 / n - l * l};
    }

    @Test
    void noisyTargetKeepsTheMinimiserAndOnlyAddsLossVariance() {
        // 1-d CondOT at a fixed t with x0 ~ N(0, 1), x1 ~ N(m, s²): E[x1 − x0 | x_t] is linear in x_t with
        // slope b* = (t·s² − (1−t)) / (t²s² + (1−t)²) and intercept a* = m − b*·t·m; the residual variance is
        // v0 = Var(x1 − x0) − Cov²/Var(x_t). With the noisy target the optimum is the same line, the loss grows by σ².
        int n = 200_000;
        double m = 2.0;
        double s = 0.5;
        double t = 0.4;
        double sigma = 1.0;
        Rng data = new Rng(20);
        Tensor x0 = data.normal(DType.FLOAT64, n, 1);
        Tensor x1 = data.normal(DType.FLOAT64, n, 1).mul(s).add(Tensor.scalar(DType.FLOAT64, m));
        Tensor times = Tensor.full(DType.FLOAT64, t, n);
        AffinePath base = new AffinePath(new CondOTScheduler());
        PathSample clean = base.sample(x0, x1, times, null);
        PathSample noisy = new NoisyTargetPath(base, sigma).sample(x0, x1, times, new Rng(21));
        assertThat(noisy.xt().doubleData()).isEqualTo(clean.xt().doubleData());

        double varX = t * t * s * s + (1 - t) * (1 - t);
        double cov = t * s * s - (1 - t);
        double bStar = cov / varX;
        double aStar = m - bStar * t * m;
        double v0 = s * s + 1 - cov * cov / varX;
        double[] fc = fitLine(clean.xt(), clean.ut());
        double[] fn = fitLine(noisy.xt(), noisy.ut());
        double seClean = Math.sqrt(v0 / (n * varX));
        double seNoisy = Math.sqrt((v0 + sigma * sigma) / (n * varX));
        assertThat(fc[1]).isCloseTo(bStar, within(4 * seClean));
        assertThat(fn[1]).isCloseTo(bStar, within(4 * seNoisy));
        assertThat(fc[0]).isCloseTo(aStar, within(4 * seClean * Math.sqrt(1 + t * t * m * m / varX)));
        assertThat(fn[0]).isCloseTo(aStar, within(4 * seNoisy * Math.sqrt(1 + t * t * m * m / varX)));
        // paired: the two fits differ only through ε, whose slope has standard error σ/√(n·Var x)
        assertThat(fn[1] - fc[1]).isCloseTo(0.0, within(4 * sigma / Math.sqrt(n * varX)));

        // loss at the optimum: mean v0 → v0 + σ²; the residual is Gaussian, so Var(r²) = 2·(mean)²
        assertThat(fc[2]).isCloseTo(v0, within(0.02 * v0));
        assertThat(fn[2]).isCloseTo(v0 + sigma * sigma, within(0.02 * (v0 + sigma * sigma)));
        assertThat(fc[3]).isCloseTo(2 * v0 * v0, within(0.05 * 2 * v0 * v0));
        assertThat(fn[3]).isCloseTo(2 * (v0 + sigma * sigma) * (v0 + sigma * sigma), within(0.05 * 2 * (v0 + sigma * sigma) * (v0 + sigma * sigma)));
        assertThat(fn[3]).isGreaterThan(3 * fc[3]);
    }
}
