package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class WassersteinTest {
    /** n rows of N(mean, s²I). */
    static float[] gaussian(int n, double[] mean, double s, Rng rng) {
        int d = mean.length;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (mean[j] + s * rng.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void w2BetweenIsotropicGaussiansMatchesTheClosedForm() {
        // W2²(N(m1, s1²I), N(m2, s2²I)) = ||m1 − m2||² + d(s1 − s2)² = 1.25 + 2·0.25 = 1.75. The optimal map is
        // T(x) = m2 + (s2/s1)(x − m1), whose per-point cost ||Δm − 0.5z||² (z ~ N(0, I)) has variance
        // 4·0.25·1.25 + 2·2·0.0625 = 1.5: over n = 1000 points the mean cost has sd 0.039, and the empirical
        // assignment differs from the population map by O(n^-1/2) in 2-D, so 0.15 on W2² is ~3-4 sd.
        int n = 1000;
        float[] x = gaussian(n, new double[] {0, 0}, 1.0, new Rng(1));
        float[] y = gaussian(n, new double[] {1, 0.5}, 0.5, new Rng(2));
        WassersteinResult w2 = new Wasserstein().w2(x, n, y, n, 2, new Rng(3));
        assertThat(w2.estimator()).isEqualTo("exact");
        assertThat(w2.n()).isEqualTo(n);
        assertThat(w2.value() * w2.value()).isCloseTo(1.75, within(0.15));
    }

    @Test
    void w1OfATranslationIsTheShiftLength() {
        // for equal covariances the translation is optimal for every convex cost, so W1 = ||m1 − m2|| = 1; the
        // empirical W1 adds the distance between two samples of the same law (~n^-1/2 in 2-D) and the mean
        // difference has sd sqrt(2/n) ≈ 0.045 per coordinate
        int n = 1000;
        float[] x = gaussian(n, new double[] {0, 0}, 1.0, new Rng(4));
        float[] y = gaussian(n, new double[] {0.6, 0.8}, 1.0, new Rng(5));
        WassersteinResult w1 = new Wasserstein().w1(x, n, y, n, 2, new Rng(6));
        assertThat(w1.value()).isCloseTo(1.0, within(0.12));
    }

    @Test
    void distanceOfASetToItselfAndToAPermutedCopyIsZero() {
        int n = 300;
        int d = 3;
        float[] x = gaussian(n, new double[] {1, -2, 0.5}, 2.0, new Rng(7));
        int[] perm = new Rng(8).permutation(n);
        float[] shuffled = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, perm[i] * d, shuffled, i * d, d);
        }
        Wasserstein w = new Wasserstein();
        for (int p = 1; p <= 2; p++) {
            assertThat(w.distance(p, x, n, x, n, d, new Rng(0)).value()).isEqualTo(0.0);
            assertThat(w.distance(p, x, n, shuffled, n, d, new Rng(0)).value()).isEqualTo(0.0);
        }
    }

    @Test
    void exactEqualsBruteForceOverAllPermutationsOnSmallSets() {
        Rng rng = new Rng(9);
        Wasserstein w = new Wasserstein();
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rng.nextInt(7);
            int d = 1 + rng.nextInt(3);
            float[] x = new float[n * d];
            float[] y = new float[n * d];
            rng.fillUniform(x, 0, x.length, -2, 2);
            rng.fillUniform(y, 0, y.length, -1, 3);
            for (int p = 1; p <= 2; p++) {
                double brute = bruteForce(p, x, y, n, d);
                assertThat(w.exact(p, x, y, n, d).value()).as("trial %d, n=%d, d=%d, p=%d", trial, n, d, p)
                        .isCloseTo(brute, within(1e-12 * Math.max(1, brute)));
            }
        }
    }

    /** (min over all n! permutations of (1/n) Σ ||x_i − y_σ(i)||^p)^(1/p), by Heap's algorithm. */
    static double bruteForce(int p, float[] x, float[] y, int n, int d) {
        int[] sigma = new int[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = i;
        }
        int[] c = new int[n];
        double best = cost(p, x, y, sigma, n, d);
        int i = 1;
        while (i < n) {
            if (c[i] < i) {
                int k = i % 2 == 0 ? 0 : c[i];
                int t = sigma[k];
                sigma[k] = sigma[i];
                sigma[i] = t;
                best = Math.min(best, cost(p, x, y, sigma, n, d));
                c[i]++;
                i = 1;
            } else {
                c[i] = 0;
                i++;
            }
        }
        return p == 1 ? best / n : Math.sqrt(best / n);
    }

    private static double cost(int p, float[] x, float[] y, int[] sigma, int n, int d) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double diff = (double) x[i * d + j] - y[sigma[i] * d + j];
                s += diff * diff;
            }
            total += p == 1 ? Math.sqrt(s) : s;
        }
        return total;
    }

    @Test
    void sinkhornApproachesTheExactValueAsEpsilonShrinks() {
        int n = 120;
        float[] x = gaussian(n, new double[] {0, 0}, 1.0, new Rng(10));
        float[] y = gaussian(n, new double[] {2, 0}, 0.7, new Rng(11));
        Wasserstein w = new Wasserstein();
        for (int p = 1; p <= 2; p++) {
            double exact = w.exact(p, x, y, n, 2).value();
            double previous = Double.POSITIVE_INFINITY;
            for (double eps : new double[] {1.0, 0.1, 0.01}) {
                WassersteinResult s = w.sinkhorn(p, x, y, n, 2, eps);
                assertThat(s.estimator()).isEqualTo("sinkhorn");
                assertThat(s.epsilon()).isEqualTo(eps);
                // the entropic plan is a feasible coupling: its cost never beats the optimum (up to the marginal error)
                assertThat(s.value()).as("p=%d eps=%s", p, eps).isGreaterThan(exact * (1 - 1e-3));
                assertThat(s.value() - exact).as("p=%d eps=%s", p, eps).isLessThan(previous - exact);
                previous = s.value();
            }
            assertThat(previous).as("p=%d at eps=0.01", p).isCloseTo(exact, within(0.01 * exact));
        }
    }

    @Test
    void unequalSizesAreSubsampledAndLargeSetsUseSinkhorn() {
        float[] x = gaussian(300, new double[] {0, 0}, 1.0, new Rng(12));
        float[] y = gaussian(200, new double[] {1, 0}, 1.0, new Rng(13));
        Wasserstein w = new Wasserstein();
        WassersteinResult a = w.w2(x, 300, y, 200, 2, new Rng(14));
        assertThat(a.n()).isEqualTo(200);
        assertThat(a.exact()).isTrue();
        assertThat(w.w2(x, 300, y, 200, 2, new Rng(14))).isEqualTo(a);

        Wasserstein small = new Wasserstein(50, 80, 0.01);
        WassersteinResult b = small.w2(x, 300, y, 200, 2, new Rng(14));
        assertThat(b.n()).isEqualTo(80);
        assertThat(b.estimator()).isEqualTo("sinkhorn");
        assertThat(b.epsilon()).isPositive();
        assertThat(b.value()).isCloseTo(a.value(), within(0.3));
    }

    @Test
    void badInputIsRefused() {
        Wasserstein w = new Wasserstein();
        assertThatThrownBy(() -> w.w1(new float[] {1, 2, 3}, 2, new float[] {1, 2}, 1, 2, new Rng(0)))
                .hasMessageContaining("2 rows of dimension 2");
        assertThatThrownBy(() -> w.w1(new float[] {1, Float.NaN}, 1, new float[] {1, 2}, 1, 2, new Rng(0)))
                .hasMessageContaining("row 0, column 1");
        assertThatThrownBy(() -> w.distance(3, new float[] {1}, 1, new float[] {1}, 1, 1, new Rng(0)))
                .hasMessageContaining("1 or 2");
    }
}
