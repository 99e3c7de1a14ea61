package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The assignment solver's row scans: the scalar kernels against direct definitions, and the Vector-API kernels
 * against the scalar ones bit for bit (including lowest-index tie breaks, settled NaN slots and tails shorter
 * than a vector).
 */
class AssignmentKernelsTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};

    /** Costs on a coarse integer grid so that ties are common; prices likewise. */
    private static double[] grid(Random r, int n, int levels) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(levels) * 0.5;
        }
        return x;
    }

    @Test
    void scalarTwoSmallestMatchesItsDefinition() {
        Random r = new Random(1);
        double[] out = new double[3];
        for (int n : SIZES) {
            for (int rep = 0; rep < 20; rep++) {
                double[] c = grid(r, n + 3, 6);
                double[] v = grid(r, n, 4);
                AssignmentKernels.scalar().twoSmallest(c, 3, v, n, out);
                double[] red = new double[n];
                for (int j = 0; j < n; j++) {
                    red[j] = c[3 + j] - v[j];
                }
                double[] sorted = red.clone();
                Arrays.sort(sorted);
                int first = -1;
                for (int j = 0; j < n && first < 0; j++) {
                    if (red[j] == sorted[0]) {
                        first = j;
                    }
                }
                assertThat(out[0]).isEqualTo(sorted[0]);
                assertThat((int) out[1]).isEqualTo(first);
                assertThat(out[2]).isEqualTo(n > 1 ? sorted[1] : Double.POSITIVE_INFINITY);
            }
        }
    }

    @Test
    void scalarRelaxUpdatesUnsettledColumnsAndFindsTheLowestMinimiser() {
        Random r = new Random(2);
        for (int n : SIZES) {
            double[] c = grid(r, n, 8);
            double[] v = grid(r, n, 3);
            double[] d = grid(r, n, 8);
            double[] pred = new double[n];
            Arrays.fill(pred, -1);
            d[0] = Double.NaN;
            double[] before = d.clone();
            int arg = AssignmentKernels.scalar().relaxAndArgMin(c, 0, v, 0.5, d, pred, 7, n);
            int expectedArg = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double rj = c[j] - v[j] - 0.5;
                if (Double.isNaN(before[j])) {
                    assertThat(d[j]).isNaN();
                    assertThat(pred[j]).isEqualTo(-1);
                    continue;
                }
                assertThat(d[j]).isEqualTo(Math.min(before[j], rj));
                assertThat(pred[j]).isEqualTo(rj < before[j] ? 7 : -1);
                if (d[j] < best) {
                    best = d[j];
                    expectedArg = j;
                }
            }
            assertThat(arg).isEqualTo(expectedArg);
        }
    }

    @Test
    void vectorKernelsAgreeWithScalarBitForBit() {
        AssignmentKernels vec = AssignmentKernels.vector();
        Assumptions.assumeTrue(vec != null, "Vector API backend not available");
        AssignmentKernels sc = AssignmentKernels.scalar();
        Random r = new Random(3);
        for (int n : SIZES) {
            for (int rep = 0; rep < 30; rep++) {
                boolean ties = rep % 2 == 0;
                double[] c = ties ? grid(r, n + 5, 5) : r.doubles(n + 5).toArray();
                double[] v = ties ? grid(r, n, 3) : r.doubles(n).toArray();
                int off = rep % 5;
                double[] o1 = new double[3];
                double[] o2 = new double[3];
                sc.twoSmallest(c, off, v, n, o1);
                vec.twoSmallest(c, off, v, n, o2);
                assertThat(o2).as("twoSmallest n=%d", n).containsExactly(o1);

                double[] d1 = ties ? grid(r, n, 5) : r.doubles(n).toArray();
                for (int j = 0; j < n; j++) {
                    if (r.nextInt(4) == 0) {
                        d1[j] = Double.NaN;
                    }
                }
                if (rep % 3 == 0) {
                    Arrays.fill(d1, Double.POSITIVE_INFINITY);
                }
                double[] d2 = d1.clone();
                double[] p1 = new double[n];
                double[] p2 = new double[n];
                int a1 = sc.relaxAndArgMin(c, off, v, 0.25, d1, p1, 9, n);
                int a2 = vec.relaxAndArgMin(c, off, v, 0.25, d2, p2, 9, n);
                assertThat(a2).as("argmin n=%d", n).isEqualTo(a1);
                assertThat(d2).containsExactly(d1);
                assertThat(p2).containsExactly(p1);

                double[] w1 = r.doubles(n).toArray();
                double[] w2 = w1.clone();
                sc.lowerTo(c, off, 0.3, w1, n);
                vec.lowerTo(c, off, 0.3, w2, n);
                assertThat(w2).containsExactly(w1);
            }
        }
    }

    @Test
    void allSettledGivesMinusOne() {
        double[] d = {Double.NaN, Double.NaN, Double.NaN};
        for (AssignmentKernels k : new AssignmentKernels[] {AssignmentKernels.scalar(), AssignmentKernels.vector()}) {
            if (k == null) {
                continue;
            }
            assertThat(k.relaxAndArgMin(new double[3], 0, new double[3], 0, d.clone(), new double[3], 0, 3)).isEqualTo(-1);
        }
    }
}
