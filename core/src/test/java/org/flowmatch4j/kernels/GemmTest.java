package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemmTest {
    static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {257, 129, 65}, {1, 300, 17}, {300, 1, 33},
        {17, 33, 16}, {13, 31, 300}, {200, 70, 600}, {40, 97, 3}, {256, 2, 64}, {25, 64, 0},
        // packed products whose last row panel has 4 rows (m = 12q + 4), which take the 4-row kernel
        {64, 96, 400}, {28, 160, 500}, {256, 70, 130}};

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    static List<KernelBackend> backends() {
        List<KernelBackend> l = new ArrayList<>();
        l.add(Kernels.scalar());
        Kernels.vector().ifPresent(l::add);
        return l;
    }

    /** A problem instance with padding, offsets and leading dims larger than needed. */
    static final class Problem {
        final boolean ta, tb;
        final int m, n, k, aOff = 3, bOff = 5, cOff = 7, lda, ldb, ldc;
        final float[] a, b, c0;

        Problem(long seed, boolean ta, boolean tb, int m, int n, int k) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            Random r = new Random(seed);
            lda = (ta ? m : k) + 2;
            ldb = (tb ? k : n) + 3;
            ldc = n + 4;
            a = rand(r, aOff + (ta ? k : m) * lda + 1);
            b = rand(r, bOff + (tb ? n : k) * ldb + 1);
            c0 = rand(r, cOff + m * ldc + 1);
        }

        double aAt(int i, int p) {
            return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double bAt(int p, int j) {
            return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        float[] run(KernelBackend kb, boolean acc) {
            float[] c = c0.clone();
            kb.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc);
            return c;
        }

        void check(float[] c, boolean acc, String what) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = acc ? c0[cOff + i * ldc + j] : 0, mag = Math.abs(s);
                    for (int p = 0; p < k; p++) {
                        double t = aAt(i, p) * bAt(p, j);
                        s += t;
                        mag += Math.abs(t);
                    }
                    double got = c[cOff + i * ldc + j];
                    if (Math.abs(got - s) > 2e-6 * mag + 1e-6) {
                        fail("%s: C[%d,%d] = %s, expected %s", what, i, j, got, s);
                    }
                }
            }
            // untouched padding
            for (int i = 0; i < c.length; i++) {
                int rel = i - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && c[i] != c0[i]) fail("%s: wrote outside C at %d", what, i);
            }
        }
    }

    static float[] rand(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    @Test
    void sgemmMatchesNaiveForAllShapesTransposesAndBackends() {
        long seed = 1;
        for (KernelBackend kb : backends()) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    for (boolean acc : new boolean[] {false, true}) {
                        Problem p = new Problem(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2]);
                        p.check(p.run(kb, acc), acc, kb.name() + " " + s[0] + "x" + s[1] + "x" + s[2] + " t" + t + " acc" + acc);
                    }
                }
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForThreadCounts123() {
        int[][] shapes = {{257, 129, 65}, {300, 1, 33}, {1, 300, 17}, {200, 70, 600}, {96, 300, 80}, {61, 64, 64},
            {256, 70, 130}, {64, 96, 400}};
        for (KernelBackend kb : backends()) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    Problem p = new Problem(99 + t, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2]);
                    Parallel.setThreads(1);
                    float[] ref = p.run(kb, true);
                    for (int th : new int[] {2, 3}) {
                        Parallel.setThreads(th);
                        assertThat(p.run(kb, true)).as("%s %s threads", kb.name(), th).containsExactly(ref);
                    }
                }
            }
        }
    }

    @Test
    void vectorAndScalarAgree() {
        KernelBackend v = Kernels.vector().orElse(null);
        if (v == null) return;
        Problem p = new Problem(7, false, true, 150, 90, 333);
        float[] x = p.run(v, false), y = p.run(Kernels.scalar(), false);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) x[i]).isCloseTo(y[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(y[i]))));
        }
    }

    @Test
    void dgemmMatchesNaive() {
        Random r = new Random(3);
        for (KernelBackend kb : backends()) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0, acc = t == 1;
                    int m = s[0], n = s[1], k = s[2];
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 1;
                    double[] a = new double[2 + (ta ? k : m) * lda], b = new double[1 + (tb ? n : k) * ldb];
                    double[] c = new double[3 + m * ldc];
                    for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
                    for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
                    for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian();
                    double[] c0 = c.clone();
                    kb.dgemm(ta, tb, m, n, k, a, 2, lda, b, 1, ldb, acc, c, 3, ldc);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = acc ? c0[3 + i * ldc + j] : 0;
                            for (int p = 0; p < k; p++) {
                                sum += (ta ? a[2 + p * lda + i] : a[2 + i * lda + p]) * (tb ? b[1 + j * ldb + p] : b[1 + p * ldb + j]);
                            }
                            assertThat(c[3 + i * ldc + j]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-11 * (1 + k)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void sgemmBiasActMatchesReferenceForEveryActivation() {
        int[][] shapes = {{37, 45, 19}, {130, 70, 300}, {256, 2, 64}, {5, 33, 3}};
        long seed = 11;
        for (KernelBackend kb : backends()) {
            for (Activation act : Activation.values()) {
                for (int[] s : shapes) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        int m = s[0], n = s[1], k = s[2], ldc = n + 3;
                        Random r = new Random(seed++);
                        int lda = ta ? m : k, ldb = tb ? k : n;
                        float[] a = rand(r, (ta ? k : m) * lda), b = rand(r, (tb ? n : k) * ldb), bias = rand(r, n);
                        for (int i = 0; i < a.length; i++) a[i] *= 3;
                        float[] z = new float[m * ldc], out = new float[m * ldc], out2 = new float[m * ldc];
                        kb.sgemmBiasAct(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, bias, act, z, out, ldc);
                        kb.sgemmBiasAct(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, bias, act, null, out2, ldc);
                        float[] alias = new float[m * ldc];
                        kb.sgemmBiasAct(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, t == 0 ? null : bias, act, alias, alias, ldc);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double zz = bias[j], mag = Math.abs(zz), z0 = 0;
                                for (int p = 0; p < k; p++) {
                                    double x = (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                                    zz += x;
                                    z0 += x;
                                    mag += Math.abs(x);
                                }
                                double tol = 1e-5 * mag + 1e-6;
                                String what = kb.name() + " " + act + " t" + t + " " + m + "x" + n + "x" + k;
                                assertThat((double) z[i * ldc + j]).as(what).isCloseTo(zz, org.assertj.core.data.Offset.offset(tol));
                                double y = act.apply(zz), dy = Math.abs(act.derivative(zz)) * tol + 2e-6 * Math.abs(y) + 2e-6;
                                assertThat((double) out[i * ldc + j]).as(what).isCloseTo(y, org.assertj.core.data.Offset.offset(dy));
                                assertThat(out2[i * ldc + j]).as(what).isEqualTo(out[i * ldc + j]);
                                double ya = act.apply(t == 0 ? z0 : zz);
                                assertThat((double) alias[i * ldc + j]).as(what).isCloseTo(ya, org.assertj.core.data.Offset.offset(1.2 * tol + 2e-6 * Math.abs(ya) + 4e-6));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void sgemmBiasActIsBitIdenticalAcrossThreads() {
        for (KernelBackend kb : backends()) {
            Random r = new Random(5);
            int m = 300, n = 200, k = 150;
            float[] a = rand(r, m * k), b = rand(r, n * k), bias = rand(r, n);
            float[][] res = new float[3][];
            for (int th = 1; th <= 3; th++) {
                Parallel.setThreads(th);
                float[] out = new float[m * n];
                kb.sgemmBiasAct(false, true, m, n, k, a, 0, k, b, 0, k, bias, Activation.SILU, null, out, n);
                res[th - 1] = out;
            }
            assertThat(res[1]).containsExactly(res[0]);
            assertThat(res[2]).containsExactly(res[0]);
        }
    }
}
