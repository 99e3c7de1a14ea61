package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class MmdTest {
    @Test
    void twoPointsGiveTheClosedForm() {
        // x = {0}, y = {1}, h = 1: k_xx = k_yy = 1, k_xy = exp(−1/2)
        MmdResult r = Mmd.rbf(new float[] {0}, 1, new float[] {1}, 1, 1, 1.0);
        assertThat(r.mmd2()).isCloseTo(2 - 2 * Math.exp(-0.5), within(1e-15));
        // two points each, brute force of the V-statistic with h = 0.7
        float[] x = {0, 0, 1, 0};
        float[] y = {0, 2, 1, 1};
        double h = 0.7;
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                kxx += k(x, i, x, j, h) / 4;
                kyy += k(y, i, y, j, h) / 4;
                kxy += k(x, i, y, j, h) / 4;
            }
        }
        assertThat(Mmd.rbf(x, 2, y, 2, 2, h).mmd2()).isCloseTo(kxx + kyy - 2 * kxy, within(1e-14));
    }

    private static double k(float[] a, int i, float[] b, int j, double h) {
        double s = 0;
        for (int c = 0; c < 2; c++) {
            double diff = a[2 * i + c] - b[2 * j + c];
            s += diff * diff;
        }
        return Math.exp(-s / (2 * h * h));
    }

    @Test
    void medianBandwidthIsTheMedianPairwiseDistanceOfThePooledSet() {
        // pooled {0, 1, 2, 3}: distances 1, 1, 1, 2, 2, 3 → median 1.5
        double h = Mmd.medianBandwidth(new float[] {0, 1, 2}, 3, new float[] {3}, 1, 1, new Rng(0));
        assertThat(h).isEqualTo(1.5);
        MmdResult r = Mmd.rbfMedian(new float[] {0, 1, 2}, 3, new float[] {3}, 1, 1, new Rng(0));
        assertThat(r.bandwidth()).isEqualTo(1.5);
    }

    @Test
    void zeroForTheSameSetSmallForTwoSamplesOfOneLawLargeForDifferentLaws() {
        int n = 600;
        float[] a = WassersteinTest.gaussian(n, new double[] {0, 0}, 1.0, new Rng(1));
        float[] b = WassersteinTest.gaussian(n, new double[] {0, 0}, 1.0, new Rng(2));
        float[] c = WassersteinTest.gaussian(n, new double[] {1.0, 0}, 1.0, new Rng(3));
        assertThat(Mmd.rbfMedian(a, n, a, n, 2, new Rng(4)).mmd2()).isCloseTo(0.0, within(1e-12));
        double same = Mmd.rbfMedian(a, n, b, n, 2, new Rng(4)).mmd2();
        double different = Mmd.rbfMedian(a, n, c, n, 2, new Rng(4)).mmd2();
        // same law: E MMD²_b = (1 − E k(x, x'))(2/n) < 2/n ≈ 0.0033, with fluctuations of the same order
        assertThat(same).isPositive().isLessThan(4.0 / n);
        // a unit shift at bandwidth ≈ median distance (≈ 1.8 here) gives MMD² ≈ 0.1
        assertThat(different).isGreaterThan(0.05).isGreaterThan(10 * same);
    }

    @Test
    void theThreadCountDoesNotChangeTheResult() {
        int n = 400;
        float[] a = WassersteinTest.gaussian(n, new double[] {0, 0, 0}, 1.0, new Rng(5));
        float[] b = WassersteinTest.gaussian(n + 7, new double[] {0.3, 0, 0}, 1.0, new Rng(6));
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            MmdResult one = Mmd.rbfMedian(a, n, b, n + 7, 3, new Rng(7));
            Parallel.setThreads(2);
            MmdResult two = Mmd.rbfMedian(a, n, b, n + 7, 3, new Rng(7));
            assertThat(two).isEqualTo(one);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
