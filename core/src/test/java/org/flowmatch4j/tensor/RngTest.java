package org.flowmatch4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class RngTest {
    private static long[] longs(Rng r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void sameSeedSameSequenceDifferentSeedDifferentSequence() {
        assertThat(longs(new Rng(42), 100)).isEqualTo(longs(new Rng(42), 100));
        assertThat(longs(new Rng(42), 100)).isNotEqualTo(longs(new Rng(43), 100));
        Rng a = new Rng(7);
        Rng b = new Rng(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(Double.doubleToRawLongBits(a.nextGaussian())).isEqualTo(Double.doubleToRawLongBits(b.nextGaussian()));
        }
        assertThat(new Rng(3).normal(DType.FLOAT32, 4, 5).toDoubleArray()).isEqualTo(new Rng(3).normal(DType.FLOAT32, 4, 5).toDoubleArray());
    }

    @Test
    void splitStreamsDifferAndAreReproducible() {
        Rng parent = new Rng(11);
        Rng c1 = parent.split();
        Rng c2 = parent.split();
        long[] s1 = longs(c1, 200);
        long[] s2 = longs(c2, 200);
        long[] sp = longs(parent, 200);
        assertThat(s1).isNotEqualTo(s2);
        assertThat(s1).isNotEqualTo(sp);
        // no shared values at all between the streams (64-bit collisions would be astronomically unlikely)
        long[] all = new long[600];
        System.arraycopy(s1, 0, all, 0, 200);
        System.arraycopy(s2, 0, all, 200, 200);
        System.arraycopy(sp, 0, all, 400, 200);
        assertThat(Arrays.stream(all).distinct().count()).isEqualTo(600);
        Rng again = new Rng(11);
        assertThat(longs(again.split(), 200)).isEqualTo(s1);
        assertThat(longs(again.split(), 200)).isEqualTo(s2);
        assertThat(longs(again, 200)).isEqualTo(sp);
    }

    @Test
    void stateRoundTripResumesExactlyIncludingPendingSpare() {
        Rng r = new Rng(123);
        r.nextGaussian(); // leaves a pending Box–Muller spare
        long[] st = r.state();
        assertThat(st[1]).as("a spare is pending").isEqualTo(1);
        Rng copy = Rng.fromState(st);
        for (int i = 0; i < 101; i++) {
            assertThat(Double.doubleToRawLongBits(copy.nextGaussian())).isEqualTo(Double.doubleToRawLongBits(r.nextGaussian()));
        }
        assertThat(Rng.fromState(r.state()).nextLong()).isEqualTo(r.state().length == 3 ? Rng.fromState(r.state()).nextLong() : 0);
        Rng d = Rng.fromState(r.state());
        assertThat(longs(d, 50)).isEqualTo(longs(r, 50));
        // the state array is a snapshot, not live
        long[] snap = r.state();
        r.nextLong();
        assertThat(Rng.fromState(snap).nextLong()).isNotEqualTo(r.nextLong());
    }

    @Test
    void normalDrawsHaveMeanZeroAndUnitVariance() {
        Rng r = new Rng(2024);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        int beyond2 = 0;
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            s += x;
            s2 += x * x;
            s3 += x * x * x;
            s4 += x * x * x * x;
            if (Math.abs(x) > 2) {
                beyond2++;
            }
        }
        double mean = s / n;
        double var = s2 / n - mean * mean;
        assertThat(Math.abs(mean)).isLessThan(4 / Math.sqrt(n));
        assertThat(Math.abs(var - 1)).isLessThan(4 * Math.sqrt(2.0 / n));
        assertThat(Math.abs(s3 / n)).isLessThan(4 * Math.sqrt(15.0 / n));
        assertThat(Math.abs(s4 / n - 3)).isLessThan(4 * Math.sqrt(96.0 / n));
        double p2 = 0.0455002638963584; // P(|Z| > 2)
        assertThat(Math.abs(beyond2 / (double) n - p2)).isLessThan(4 * Math.sqrt(p2 * (1 - p2) / n));
    }

    @Test
    void uniformAndRademacherRanges() {
        Rng r = new Rng(8);
        Tensor u = r.uniform(DType.FLOAT64, -2, 3, 100_000);
        double mean = 0;
        for (int i = 0; i < u.numel(); i++) {
            double v = u.getDouble(i);
            assertThat(v).isGreaterThanOrEqualTo(-2).isLessThan(3);
            mean += v / u.numel();
        }
        assertThat(Math.abs(mean - 0.5)).isLessThan(4 * 5 / Math.sqrt(12 * 100_000.0));
        Tensor rad = r.rademacher(DType.FLOAT32, 100_000);
        double rs = 0;
        for (int i = 0; i < rad.numel(); i++) {
            assertThat(Math.abs(rad.getDouble(i))).isEqualTo(1.0);
            rs += rad.getDouble(i);
        }
        assertThat(Math.abs(rs / rad.numel())).isLessThan(4 / Math.sqrt(100_000.0));
        for (int i = 0; i < 10_000; i++) {
            double d = r.nextDouble();
            assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
        }
    }

    /** χ² with k − 1 degrees of freedom; the 1e-4 upper quantiles used below are from standard tables. */
    private static double chiSquare(long[] counts, double expectedEach) {
        double c = 0;
        for (long o : counts) {
            c += (o - expectedEach) * (o - expectedEach) / expectedEach;
        }
        return c;
    }

    @Test
    void nextIntIsUnbiased() {
        Rng r = new Rng(31337);
        int bound = 7;
        int n = 210_000;
        long[] counts = new long[bound];
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(bound);
            assertThat(v).isBetween(0, bound - 1);
            counts[v]++;
        }
        assertThat(chiSquare(counts, n / (double) bound)).isLessThan(27.86); // df 6, p = 1e-4
        // a large bound where 2^32 mod bound is big: a modulo reduction would favour the lower third
        int big = 0x60000000; // 1.5 · 2^30
        long[] bins = new long[16];
        int low = 0;
        for (int i = 0; i < 160_000; i++) {
            int v = r.nextInt(big);
            assertThat(v).isBetween(0, big - 1);
            bins[(int) ((long) v * 16 / big)]++;
            if (v < big / 3 * 2) {
                low++;
            }
        }
        assertThat(chiSquare(bins, 10_000)).isLessThan(44.3); // df 15, p = 1e-4
        assertThat(Math.abs(low / 160_000.0 - 2.0 / 3)).isLessThan(4 * Math.sqrt(2.0 / 9 / 160_000));
        assertThat(new Rng(1).nextInt(1)).isZero();
    }

    @Test
    void permutationIsAPermutationAndUniform() {
        Rng r = new Rng(5);
        for (int n : new int[] {0, 1, 2, 17, 1000}) {
            int[] p = r.permutation(n);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
        }
        // all 6 permutations of 3 elements equally likely
        long[] counts = new long[6];
        int trials = 60_000;
        for (int t = 0; t < trials; t++) {
            int[] p = r.permutation(3);
            counts[p[0] * 2 + (p[1] > p[2] ? 1 : 0)]++;
        }
        assertThat(chiSquare(counts, trials / 6.0)).isLessThan(25.74); // df 5, p = 1e-4
    }
}
