package org.flowmatch4j.coupling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SinkhornCouplingTest {

    private static SinkhornCoupling relative(double eps) {
        return new SinkhornCoupling(eps, 100_000, 1e-10);
    }

    @Test
    void planHasTheRequestedMarginals() {
        Rng rng = new Rng(1);
        int[][] sizes = {{40, 40}, {30, 50}, {50, 30}, {1, 7}, {200, 200}};
        for (int[] s : sizes) {
            Tensor x0 = rng.normal(DType.FLOAT32, s[0], 2);
            Tensor x1 = rng.normal(DType.FLOAT32, s[1], 2).add(Tensor.scalar(DType.FLOAT32, 2.0));
            EntropicPlan p = new SinkhornCoupling(0.05, 5000, 1e-8).solve(x0, x1);
            assertThat(p.convergence().converged()).as("%s", p).isTrue();
            double[] r = p.rowSums();
            double[] c = p.columnSums();
            double rowError = 0;
            for (double ri : r) {
                rowError += Math.abs(ri - 1.0 / s[0]);
            }
            assertThat(rowError).isLessThanOrEqualTo(1e-8);
            assertThat(rowError).isCloseTo(p.convergence().marginalError(), within(1e-12));
            for (double cj : c) {
                assertThat(cj).isCloseTo(1.0 / s[1], within(1e-12));
            }
            assertThat(Arrays.stream(r).sum()).isCloseTo(1.0, within(1e-8));
        }
    }

    /** Plain (not log-domain) Sinkhorn scaling u = a/(Kv), v = b/(Kᵀu) with K = exp(−C/ε), for comparison. */
    private static double[] naiveSinkhorn(double[] c, int n, int m, double eps, int iterations) {
        double[] k = new double[n * m];
        for (int t = 0; t < k.length; t++) {
            k[t] = Math.exp(-c[t] / eps);
        }
        double[] u = new double[n];
        double[] v = new double[m];
        Arrays.fill(v, 1.0);
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += k[i * m + j] * v[j];
                }
                u[i] = (1.0 / n) / s;
            }
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += k[i * m + j] * u[i];
                }
                v[j] = (1.0 / m) / s;
            }
        }
        double[] p = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                p[i * m + j] = u[i] * k[i * m + j] * v[j];
            }
        }
        return p;
    }

    @Test
    void logDomainPlanEqualsPlainSinkhornAtModerateEpsilon() {
        Rng rng = new Rng(2);
        Tensor x0 = rng.normal(DType.FLOAT64, 12, 3);
        Tensor x1 = rng.normal(DType.FLOAT64, 9, 3);
        double eps = 0.7;
        EntropicPlan p = new SinkhornCoupling(eps, EpsilonScale.ABSOLUTE, 10_000, 1e-13, PlanSampling.ROW_CONDITIONAL).solve(x0, x1);
        assertThat(p.epsilon()).isEqualTo(eps);
        double[] ref = naiveSinkhorn(BruteForce.costMatrix(x0, x1), 12, 9, eps, 5000);
        for (int t = 0; t < ref.length; t++) {
            assertThat(p.plan()[t]).isCloseTo(ref[t], within(1e-12));
        }
    }

    @Test
    void meanCostScalingMakesThePlanScaleInvariant() {
        Rng rng = new Rng(3);
        Tensor x0 = rng.normal(DType.FLOAT64, 10, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 10, 2);
        EntropicPlan a = relative(0.1).solve(x0, x1);
        EntropicPlan b = relative(0.1).solve(x0.mul(30.0), x1.mul(30.0));
        assertThat(b.epsilon()).isCloseTo(900 * a.epsilon(), within(1e-9 * b.epsilon()));
        for (int t = 0; t < a.plan().length; t++) {
            assertThat(b.plan()[t]).isCloseTo(a.plan()[t], within(1e-9));
        }
    }

    @Test
    void smallEpsilonApproachesTheExactOtPermutation() {
        Rng rng = new Rng(4);
        for (int r = 0; r < 5; r++) {
            int n = 6;
            Tensor x0 = rng.normal(DType.FLOAT64, n, 2);
            Tensor x1 = rng.normal(DType.FLOAT64, n, 2);
            CouplingPlan exact = new ExactOtCoupling().plan(x0, x1, null);
            double[] target = new double[n * n];
            for (int k = 0; k < n; k++) {
                target[exact.i0()[k] * n + exact.i1()[k]] = 1.0 / n;
            }
            double previous = Double.POSITIVE_INFINITY;
            for (double eps : new double[] {0.5, 0.05, 0.005, 0.001}) {
                // nearly decoupled blocks (entries ~1e-20 between them) make Sinkhorn's tail very slow at small ε:
                // the marginal error is only asked to be small, not at tolerance
                EntropicPlan p = new SinkhornCoupling(eps, 5000, 1e-8).solve(x0, x1);
                assertThat(p.convergence().marginalError()).isLessThan(1e-3);
                double l1 = 0;
                for (int t = 0; t < target.length; t++) {
                    l1 += Math.abs(p.plan()[t] - target[t]);
                }
                assertThat(l1).as("instance %d eps %s", r, eps).isLessThan(previous);
                previous = l1;
            }
            assertThat(previous).isLessThan(2e-3);
        }
    }

    @Test
    void largeEpsilonApproachesTheIndependentPlan() {
        Rng rng = new Rng(5);
        Tensor x0 = rng.normal(DType.FLOAT64, 8, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 11, 2).add(3.0);
        double previous = Double.POSITIVE_INFINITY;
        for (double eps : new double[] {1, 100, 1e4, 1e6}) {
            EntropicPlan p = relative(eps).solve(x0, x1);
            double worst = 0;
            for (double v : p.plan()) {
                worst = Math.max(worst, Math.abs(v * 88 - 1));
            }
            assertThat(worst).isLessThan(previous);
            previous = worst;
        }
        assertThat(previous).isLessThan(1e-5);
    }

    @Test
    void rowConditionalSamplingFollowsThePlan() {
        Rng data = new Rng(6);
        Tensor x0 = data.normal(DType.FLOAT64, 3, 2);
        Tensor x1 = data.normal(DType.FLOAT64, 4, 2);
        SinkhornCoupling sk = new SinkhornCoupling(0.3, 1000, 1e-10);
        EntropicPlan p = sk.solve(x0, x1);
        Rng rng = new Rng(7);
        int draws = 20_000;
        int[][] counts = new int[3][4];
        for (int t = 0; t < draws; t++) {
            CouplingPlan cp = sk.plan(x0, x1, rng);
            assertThat(cp.i0()).containsExactly(0, 1, 2);
            for (int k = 0; k < 3; k++) {
                counts[k][cp.i1()[k]]++;
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                double prob = p.get(i, j) * 3;   // π(i,j)/a_i
                double sd = Math.sqrt(draws * prob * (1 - prob));
                assertThat((double) counts[i][j]).as("(%d,%d)", i, j).isCloseTo(draws * prob, within(5 * sd + 1));
            }
        }
    }

    @Test
    void withoutReplacementUsesEveryPointOnce() {
        Rng rng = new Rng(8);
        SinkhornCoupling sk = new SinkhornCoupling(0.05, EpsilonScale.MEAN_COST, 2000, 1e-6, PlanSampling.WITHOUT_REPLACEMENT);
        int[][] sizes = {{64, 64}, {20, 35}, {35, 20}, {500, 500}};
        for (int[] s : sizes) {
            Tensor x0 = rng.normal(DType.FLOAT32, s[0], 2);
            Tensor x1 = rng.normal(DType.FLOAT32, s[1], 2);
            CouplingPlan p = sk.plan(x0, x1, rng);
            int pairs = Math.min(s[0], s[1]);
            assertThat(p.size()).isEqualTo(pairs);
            assertThat(Arrays.stream(p.i0()).distinct().count()).isEqualTo(pairs);
            assertThat(Arrays.stream(p.i1()).distinct().count()).isEqualTo(pairs);
            assertThat(Arrays.stream(p.i0()).max().getAsInt()).isLessThan(s[0]);
            assertThat(Arrays.stream(p.i1()).max().getAsInt()).isLessThan(s[1]);
        }
    }

    @Test
    void exactOtIsCheaperThanSinkhornWhichIsCheaperThanIndependentOnAverage() {
        Rng rng = new Rng(9);
        ExactOtCoupling exact = new ExactOtCoupling();
        SinkhornCoupling rows = new SinkhornCoupling(0.05, 2000, 1e-6);
        SinkhornCoupling perm = new SinkhornCoupling(0.05, EpsilonScale.MEAN_COST, 2000, 1e-6, PlanSampling.WITHOUT_REPLACEMENT);
        IndependentCoupling indep = new IndependentCoupling();
        double ce = 0;
        double cr = 0;
        double cp = 0;
        double ci = 0;
        for (int r = 0; r < 20; r++) {
            Tensor x0 = rng.normal(DType.FLOAT32, 64, 2);
            Tensor x1 = rng.normal(DType.FLOAT32, 64, 2).mul(0.5).add(Tensor.scalar(DType.FLOAT32, 2));
            double e = exact.plan(x0, x1, rng).meanSquaredDistance(x0, x1);
            double s = perm.plan(x0, x1, rng).meanSquaredDistance(x0, x1);
            assertThat(e).isLessThanOrEqualTo(s + 1e-9);   // exact OT is the minimum over permutations
            ce += e;
            cr += rows.plan(x0, x1, rng).meanSquaredDistance(x0, x1);
            cp += s;
            ci += indep.plan(x0, x1, rng).meanSquaredDistance(x0, x1);
        }
        assertThat(ce).isLessThan(cr);
        assertThat(ce).isLessThan(cp);
        assertThat(cr).isLessThan(ci);
        assertThat(cp).isLessThan(ci);
    }

    @Test
    void sameSeedSameDrawsAndThreadCountDoesNotMatter() {
        Rng data = new Rng(10);
        Tensor x0 = data.normal(DType.FLOAT32, 300, 2);
        Tensor x1 = data.normal(DType.FLOAT32, 300, 2);
        SinkhornCoupling sk = new SinkhornCoupling(0.05, 2000, 1e-6);
        CouplingPlan a = sk.plan(x0, x1, new Rng(11));
        CouplingPlan b = new SinkhornCoupling(0.05, 2000, 1e-6).plan(x0, x1, new Rng(11));
        CouplingPlan c = sk.plan(x0, x1, new Rng(12));
        assertThat(b).isEqualTo(a);
        assertThat(c.i1()).isNotEqualTo(a.i1());
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            EntropicPlan one = sk.solve(x0, x1);
            Parallel.setThreads(3);
            EntropicPlan three = sk.solve(x0, x1);
            assertThat(three.plan()).isEqualTo(one.plan());
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void reportsNonConvergence() {
        Rng rng = new Rng(13);
        Tensor x0 = rng.normal(DType.FLOAT64, 30, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 30, 2);
        CouplingPlan p = new SinkhornCoupling(1e-3, 3, 1e-9).plan(x0, x1, rng);
        assertThat(p.convergence().converged()).isFalse();
        assertThat(p.convergence().iterations()).isEqualTo(3);
        assertThat(p.convergence().marginalError()).isGreaterThan(1e-9);
        assertThat(p.size()).isEqualTo(30);
    }

    @Test
    void schrodingerBridgeIsEntropicOtWithTwoSigmaSquared() {
        Rng rng = new Rng(14);
        Tensor x0 = rng.normal(DType.FLOAT64, 15, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 15, 2);
        SchrodingerBridgeCoupling sb = new SchrodingerBridgeCoupling(0.5);
        assertThat(sb.epsilon()).isEqualTo(0.5);
        EntropicPlan p = sb.solve(x0, x1);
        assertThat(p.epsilon()).isEqualTo(0.5);
        EntropicPlan q = new SinkhornCoupling(0.5, EpsilonScale.ABSOLUTE, SinkhornCoupling.DEFAULT_MAX_ITERATIONS,
                SinkhornCoupling.DEFAULT_TOLERANCE, PlanSampling.ROW_CONDITIONAL).solve(x0, x1);
        assertThat(p.plan()).isEqualTo(q.plan());
        assertThat(sb.plan(x0, x1, new Rng(1))).isEqualTo(sb.plan(x0, x1, new Rng(1)));
        assertThat(sb.name()).isEqualTo("schrodinger-bridge");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new SinkhornCoupling(0, 10, 1e-6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new SinkhornCoupling(0.1, 0, 1e-6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIterations");
        assertThatThrownBy(() -> new SinkhornCoupling(0.1, 10, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> new SchrodingerBridgeCoupling(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma");
        Tensor x = Tensor.zeros(DType.FLOAT32, 3, 2);
        assertThatThrownBy(() -> relative(0.1).plan(x, x, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rng");
    }
}
