package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link KernelBackend#sgemmPackedA}: a packed A times a B read in place, against a double-precision loop. */
class PackedGemmTest {
    static final int[] MS = {1, 2, 3, 4, 5, 11, 12, 13, 16, 28, 64, 65};
    static final int[] NS = {1, 17, 31, 32, 33, 100};
    static final int[] KS = {0, 1, 3, 64, 70};

    /** One instance: A (or Aᵀ) with offsets and padded leading dims, B and C likewise. */
    static final class Case {
        final boolean ta;
        final int m, n, k, aOff = 3, bOff = 5, cOff = 7, oOff = 2, lda, ldb, ldc, ldo;
        final float[] a, b, c0, bias;

        Case(long seed, boolean ta, int m, int n, int k) {
            this.ta = ta;
            this.m = m;
            this.n = n;
            this.k = k;
            Random r = new Random(seed);
            lda = (ta ? m : k) + 2;
            ldb = n + 3;
            ldc = n + 4;
            ldo = n + 1;
            a = GemmTest.rand(r, aOff + (ta ? k : m) * lda + 1);
            b = GemmTest.rand(r, bOff + k * ldb + 1);
            c0 = GemmTest.rand(r, cOff + m * ldc + 1);
            bias = GemmTest.rand(r, m);
        }

        double aAt(int i, int p) {
            return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float[] packed(KernelBackend kb) {
            float[] pk = new float[kb.packedASize(m, k)];
            kb.packA(ta, m, k, a, aOff, lda, pk);
            return pk;
        }

        /** Runs the product; returns {C, out}. */
        float[][] run(KernelBackend kb, boolean acc, boolean withBias, Activation act, boolean deriv) {
            float[] c = c0.clone();
            float[] out = act == null ? null : new float[oOff + m * ldo];
            kb.sgemmPackedA(m, n, k, packed(kb), b, bOff, ldb, acc, withBias ? bias : null, c, cOff, ldc, act, out, oOff, ldo, deriv);
            return new float[][] {c, out};
        }

        double expected(int i, int j, boolean acc, boolean withBias, double[] mag) {
            double s = acc ? c0[cOff + i * ldc + j] : withBias ? bias[i] : 0;
            mag[0] = Math.abs(s);
            for (int p = 0; p < k; p++) {
                double t = aAt(i, p) * b[bOff + p * ldb + j];
                s += t;
                mag[0] += Math.abs(t);
            }
            return s;
        }
    }

    @Test
    void matchesADoubleLoopForEveryShapeInitAndBackend() {
        long seed = 1;
        double[] mag = new double[1];
        for (KernelBackend kb : GemmTest.backends()) {
            for (int m : MS) {
                for (int n : NS) {
                    for (int k : KS) {
                        for (int mode = 0; mode < 4; mode++) {
                            boolean ta = (mode & 1) != 0, acc = mode == 2, withBias = mode == 3 || mode == 1;
                            Case cs = new Case(seed++, ta, m, n, k);
                            float[] c = cs.run(kb, acc, withBias, null, false)[0];
                            String what = kb.name() + " " + m + "x" + n + "x" + k + " mode " + mode;
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    double e = cs.expected(i, j, acc, withBias, mag);
                                    double got = c[cs.cOff + i * cs.ldc + j];
                                    if (Math.abs(got - e) > 2e-6 * mag[0] + 1e-6) fail("%s: C[%d,%d] = %s, expected %s", what, i, j, got, e);
                                }
                            }
                            for (int i = 0; i < c.length; i++) {
                                int rel = i - cs.cOff;
                                boolean inside = rel >= 0 && rel / cs.ldc < m && rel % cs.ldc < n;
                                if (!inside && c[i] != cs.c0[i]) fail("%s: wrote outside C at %d", what, i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void productsLargerThanOneCacheBlockMatchTheDoubleLoop() {
        // m beyond one row block (96), n beyond one column block (256), k beyond one K slice (1024), partial tiles
        double[] mag = new double[1];
        for (KernelBackend kb : GemmTest.backends()) {
            // the last one's K slice spans 256 × 303 floats: B is packed rather than read in place
            for (int[] sh : new int[][] {{100, 45, 300}, {130, 64, 520}, {200, 33, 257}, {30, 300, 500}, {40, 37, 1100}}) {
                for (int mode = 0; mode < 3; mode++) {
                    boolean acc = mode == 1, withBias = mode == 2;
                    Case cs = new Case(17 + mode, mode == 2, sh[0], sh[1], sh[2]);
                    float[][] r = cs.run(kb, acc, withBias, Activation.TANH, true);
                    for (int i = 0; i < cs.m; i++) {
                        for (int j = 0; j < cs.n; j++) {
                            double z = cs.expected(i, j, acc, withBias, mag);
                            double tol = 2e-6 * mag[0] + 1e-6;
                            String what = kb.name() + " " + sh[0] + "x" + sh[1] + "x" + sh[2] + " mode " + mode + " [" + i + "," + j + "]";
                            assertThat((double) r[1][cs.oOff + i * cs.ldo + j]).as(what).isCloseTo(Math.tanh(z), org.assertj.core.data.Offset.offset(tol));
                            double dz = 1 - Math.tanh(z) * Math.tanh(z);
                            assertThat((double) r[0][cs.cOff + i * cs.ldc + j]).as(what).isCloseTo(dz, org.assertj.core.data.Offset.offset(2 * tol));
                        }
                    }
                }
            }
        }
    }

    @Test
    void activationEpilogueWritesActAndReplacesCByTheDerivative() {
        double[] mag = new double[1];
        for (KernelBackend kb : GemmTest.backends()) {
            for (Activation act : new Activation[] {Activation.SILU, Activation.SELU, Activation.TANH}) {
                Case cs = new Case(41, false, 28, 33, 70);
                float[][] r = cs.run(kb, false, true, act, true);
                for (int i = 0; i < cs.m; i++) {
                    for (int j = 0; j < cs.n; j++) {
                        double z = cs.expected(i, j, false, true, mag);
                        double tol = 1e-5 * (1 + mag[0]);
                        assertThat((double) r[1][cs.oOff + i * cs.ldo + j]).as("%s %s out", kb.name(), act)
                                .isCloseTo(act.apply(z), org.assertj.core.data.Offset.offset(tol));
                        assertThat((double) r[0][cs.cOff + i * cs.ldc + j]).as("%s %s deriv", kb.name(), act)
                                .isCloseTo(act.derivative(z), org.assertj.core.data.Offset.offset(tol));
                    }
                }
            }
        }
    }

    @Test
    void activationMayOverwriteCWhenTheDerivativeIsNotKept() {
        double[] mag = new double[1];
        for (KernelBackend kb : GemmTest.backends()) {
            for (int n : new int[] {5, 32, 45}) {
                Case cs = new Case(43, false, 13, n, 20);
                float[] c = cs.c0.clone();
                kb.sgemmPackedA(cs.m, n, cs.k, cs.packed(kb), cs.b, cs.bOff, cs.ldb, false, cs.bias, c, cs.cOff, cs.ldc,
                        Activation.SILU, c, cs.cOff, cs.ldc, false);
                for (int i = 0; i < cs.m; i++) {
                    for (int j = 0; j < n; j++) {
                        double z = cs.expected(i, j, false, true, mag);
                        assertThat((double) c[cs.cOff + i * cs.ldc + j]).as("%s n=%d [%d,%d]", kb.name(), n, i, j)
                                .isCloseTo(Activation.SILU.apply(z), org.assertj.core.data.Offset.offset(1e-5 * (1 + mag[0])));
                    }
                }
            }
        }
    }

    @Test
    void vectorResultEqualsTheRowMajorGemmBitForBit() {
        KernelBackend v = Kernels.vector().orElse(null);
        if (v == null) return;
        for (int[] s : new int[][] {{64, 100, 64}, {13, 33, 3}, {2, 70, 64}, {256, 40, 256}, {200, 50, 600}, {30, 300, 500}, {40, 37, 1100}}) {
            for (boolean ta : new boolean[] {false, true}) {
                Case cs = new Case(7, ta, s[0], s[1], s[2]);
                float[] packedProduct = cs.run(v, true, false, null, false)[0];
                float[] c = cs.c0.clone();
                v.sgemm(ta, false, cs.m, cs.n, cs.k, cs.a, cs.aOff, cs.lda, cs.b, cs.bOff, cs.ldb, true, c, cs.cOff, cs.ldc);
                assertThat(packedProduct).as("%dx%dx%d ta=%s", s[0], s[1], s[2], ta).containsExactly(c);
            }
        }
    }

    @Test
    void columnsDoNotDependOnHowNIsSplit() {
        for (KernelBackend kb : GemmTest.backends()) {
            Case cs = new Case(11, false, 65, 100, 64);
            float[] whole = cs.run(kb, false, true, null, false)[0];
            float[] pk = cs.packed(kb);
            float[] c = cs.c0.clone();
            for (int j0 : new int[] {0, 7, 40}) {
                int n = (j0 == 0 ? 7 : j0 == 7 ? 33 : 60);
                kb.sgemmPackedA(cs.m, n, cs.k, pk, cs.b, cs.bOff + j0, cs.ldb, false, cs.bias, c, cs.cOff + j0, cs.ldc, null, null, 0, 0, false);
            }
            assertThat(c).as(kb.name()).containsExactly(whole);
        }
    }

    @Test
    void packingBlocksInAnyOrderGivesTheWholePack() {
        for (KernelBackend kb : GemmTest.backends()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (int m : new int[] {5, 12, 28, 40, 256}) {
                    for (int k : new int[] {1, 3, 17, 50, 64}) {
                        Case cs = new Case(m * 31L + k, ta, m, 4, k);
                        float[] whole = cs.packed(kb);
                        // aligned and unaligned cuts, rows and columns, packed last block first: a block must not
                        // write outside its own elements (beyond the padding of its columns)
                        int[][] rowCuts = {{0, m}, {0, Math.min(m, 12), m}, {0, m / 3, m / 2 + 1, m}};
                        int[][] colCuts = {{0, k}, {0, k / 2, k}, {0, 1, k / 3 + 1, k}};
                        for (int[] rc : rowCuts) {
                            for (int[] cc : colCuts) {
                                float[] parts = new float[whole.length];
                                java.util.Arrays.fill(parts, Float.NaN);
                                for (int r = rc.length - 2; r >= 0; r--) {
                                    for (int c = cc.length - 2; c >= 0; c--) {
                                        kb.packA(ta, m, k, cs.a, cs.aOff, cs.lda, parts, rc[r], rc[r + 1], cc[c], cc[c + 1]);
                                    }
                                }
                                assertThat(parts).as("%s ta=%s %dx%d rows %s cols %s", kb.name(), ta, m, k,
                                        java.util.Arrays.toString(rc), java.util.Arrays.toString(cc)).containsExactly(whole);
                            }
                        }
                    }
                }
            }
            float[] dst = new float[kb.packedASize(40, 8)];
            float[] a = new float[40 * 8];
            assertThatThrownBy(() -> kb.packA(false, 40, 8, a, 0, 8, dst, 0, 41, 0, 8))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows [0, 41) x columns [0, 8)");
            assertThatThrownBy(() -> kb.packA(false, 40, 8, a, 0, 8, dst, 0, 40, 5, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not inside the 40x8 matrix");
            assertThatThrownBy(() -> kb.packA(false, 40, 8, a, 0, 8, new float[10], 0, 40, 0, 8))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dst holds 10");
        }
    }

    @Test
    void transposedAReadInPlaceEqualsPackingItFirstBitForBit() {
        for (KernelBackend kb : GemmTest.backends()) {
            for (int m : MS) {
                for (int k : KS) {
                    for (int n : new int[] {1, 32, 33}) {
                        Case cs = new Case(m * 131L + n * 7L + k, true, m, n, k);
                        for (Activation act : new Activation[] {null, Activation.SILU}) {
                            float[][] packed = cs.run(kb, false, true, act, act != null);
                            float[] c = cs.c0.clone();
                            float[] out = act == null ? null : new float[cs.oOff + m * cs.ldo];
                            kb.sgemmTransA(m, n, k, cs.a, cs.aOff, cs.lda, cs.b, cs.bOff, cs.ldb, false, cs.bias, c, cs.cOff,
                                    cs.ldc, act, out, cs.oOff, cs.ldo, act != null);
                            String what = String.format("%s %dx%dx%d %s", kb.name(), m, n, k, act);
                            assertThat(c).as(what).containsExactly(packed[0]);
                            if (act != null) {
                                assertThat(out).as(what).containsExactly(packed[1]);
                            }
                        }
                        // C ⊙ (Aᵀ·B): the product from zero, times the old C, element by element
                        float[] prod = cs.c0.clone();
                        kb.sgemmTransA(m, n, k, cs.a, cs.aOff, cs.lda, cs.b, cs.bOff, cs.ldb, false, null, prod, cs.cOff, cs.ldc,
                                null, null, 0, 0, false);
                        float[] scaled = cs.c0.clone();
                        kb.sgemmTransAScaled(m, n, k, cs.a, cs.aOff, cs.lda, cs.b, cs.bOff, cs.ldb, scaled, cs.cOff, cs.ldc);
                        float[] expect = cs.c0.clone();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                int ci = cs.cOff + i * cs.ldc + j;
                                expect[ci] = cs.c0[ci] * prod[ci];
                            }
                        }
                        assertThat(scaled).as("%s scaled %dx%dx%d", kb.name(), m, n, k).containsExactly(expect);
                    }
                }
            }
            // A exactly as long as its last row needs: no panel may read past it
            float[] a = GemmTest.rand(new Random(3), 3 * 13);
            float[] c = new float[13 * 32];
            kb.sgemmTransA(13, 32, 3, a, 0, 13, new float[3 * 32], 0, 32, false, null, c, 0, 32, null, null, 0, 0, false);
            assertThatThrownBy(() -> kb.sgemmTransA(13, 32, 3, new float[38], 0, 13, new float[3 * 32], 0, 32, false, null, c,
                    0, 32, null, null, 0, 0, false)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("A too small");
            assertThatThrownBy(() -> kb.sgemmTransA(13, 32, 3, a, 0, 12, new float[3 * 32], 0, 32, false, null, c,
                    0, 32, null, null, 0, 0, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lda 12 < m 13");
        }
    }

    /**
     * {@code C ⊙ (Pᵀ·B)} from the panels packA makes of a k×m matrix W equals, bit for bit, the product reading W in
     * place: every panel height of W's last rows (k), every row tail of the tiles (m), partial column tiles (n) and a
     * B whose stride makes it be copied; P is exactly as long as packedASize, so no tile may read past it.
     */
    @Test
    void packedTransposedProductEqualsTheInPlaceOneBitForBit() {
        for (KernelBackend kb : GemmTest.backends()) {
            for (int m : MS) {
                for (int k : MS) {
                    for (int n : new int[] {1, 17, 32, 33, 100}) {
                        for (int ldbPad : new int[] {3, 2100}) {
                            Random r = new Random(m * 1009L + k * 31L + n * 7L + ldbPad);
                            int lda = m + 2, ldb = n + ldbPad, ldc = n + 4, wOff = 3, bOff = 5, cOff = 7;
                            float[] w = GemmTest.rand(r, wOff + k * lda);
                            float[] b = GemmTest.rand(r, bOff + k * ldb);
                            float[] c0 = GemmTest.rand(r, cOff + m * ldc);
                            float[] pk = new float[kb.packedASize(k, m)];
                            kb.packA(false, k, m, w, wOff, lda, pk);
                            float[] inPlace = c0.clone();
                            kb.sgemmTransAScaled(m, n, k, w, wOff, lda, b, bOff, ldb, inPlace, cOff, ldc);
                            float[] packed = c0.clone();
                            kb.sgemmPackedATransScaled(m, n, k, pk, b, bOff, ldb, packed, cOff, ldc);
                            assertThat(packed).as("%s %dx%dx%d ldb %d", kb.name(), m, n, k, ldb).containsExactly(inPlace);
                        }
                    }
                }
            }
            float[] c = new float[16];
            assertThatThrownBy(() -> kb.sgemmPackedATransScaled(4, 4, 5, new float[kb.packedASize(5, 4) - 1], new float[20],
                    0, 4, c, 0, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed P has");
            assertThatThrownBy(() -> kb.sgemmPackedATransScaled(4, 4, 5, new float[kb.packedASize(5, 4)], new float[19], 0, 4,
                    c, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("B too small");
        }
    }

    @Test
    void badArgumentsAreRefusedByName() {
        for (KernelBackend kb : GemmTest.backends()) {
            float[] c = new float[16];
            assertThatThrownBy(() -> kb.sgemmPackedA(4, 4, 4, new float[3], new float[16], 0, 4, false, null, c, 0, 4, null, null, 0, 0, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed A");
            float[] pk = new float[kb.packedASize(4, 4)];
            assertThatThrownBy(() -> kb.sgemmPackedA(4, 4, 4, pk, new float[15], 0, 4, false, null, c, 0, 4, null, null, 0, 0, false))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("B too small");
            assertThatThrownBy(() -> kb.sgemmPackedA(4, 4, 4, pk, new float[16], 0, 4, false, null, c, 0, 4, Activation.SILU, c, 0, 4, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out must not be C");
        }
    }
}
