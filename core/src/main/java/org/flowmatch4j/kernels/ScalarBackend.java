package org.flowmatch4j.kernels;

/**
 * Plain-Java kernels (no Vector API). The GEMM is a row-partitioned, K-blocked "axpy" loop
 * ({@code C[i,:] += A[i,p]·B[p,:]}, p ascending) that the JIT's auto-vectoriser handles; Bᵀ is
 * transposed once into a per-thread buffer. Each element of C is accumulated in the same order
 * whatever the thread count, so results are bit-identical for any {@link Parallel#threads()}.
 */
final class ScalarBackend implements KernelBackend {
    /** B block (KC×n) budget in elements, sized for the L2 cache. */
    private static final int B_BLOCK = 1 << 16;
    /** Below this many multiply-adds a GEMM runs on one thread. */
    static final long PARALLEL_MIN_WORK = 1L << 18;

    @Override
    public String name() {
        return "scalar";
    }

    static int chunksFor(long work, int parts) {
        int t = Parallel.threads();
        if (t <= 1 || work < PARALLEL_MIN_WORK || Parallel.inParallelRegion()) return 1;
        return Math.max(1, Math.min(t, parts));
    }

    static void checkGemm(int m, int n, int k, int aLen, int aOff, int lda, boolean transA, int bLen, int bOff,
                          int ldb, boolean transB, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative dimension m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        if (ldc < n) throw new IllegalArgumentException("ldc " + ldc + " < n " + n);
        if (cOff < 0 || (long) cOff + (long) (m - 1) * ldc + n > cLen) throw new IndexOutOfBoundsException("C too small");
        if (k == 0) return;
        int ar = transA ? k : m, ac = transA ? m : k;
        int br = transB ? n : k, bc = transB ? k : n;
        if (lda < ac) throw new IllegalArgumentException("lda " + lda + " < " + ac);
        if (ldb < bc) throw new IllegalArgumentException("ldb " + ldb + " < " + bc);
        if (aOff < 0 || (long) aOff + (long) (ar - 1) * lda + ac > aLen) throw new IndexOutOfBoundsException("A too small");
        if (bOff < 0 || (long) bOff + (long) (br - 1) * ldb + bc > bLen) throw new IndexOutOfBoundsException("B too small");
    }

    static void checkPackedA(int m, int n, int k, int packedLen, int packedSize, int bLen, int bOff, int ldb,
                             float[] rowBias, int cLen, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                             boolean deriv, float[] c) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative dimension m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        if (packedLen < packedSize) {
            throw new IllegalArgumentException("packed A has " + packedLen + " floats, a packed " + m + "×" + k + " needs " + packedSize);
        }
        if (ldc < n) throw new IllegalArgumentException("ldc " + ldc + " < n " + n);
        if (cOff < 0 || (long) cOff + (long) (m - 1) * ldc + n > cLen) throw new IndexOutOfBoundsException("C too small");
        if (k > 0) {
            if (ldb < n) throw new IllegalArgumentException("ldb " + ldb + " < n " + n);
            if (bOff < 0 || (long) bOff + (long) (k - 1) * ldb + n > bLen) throw new IndexOutOfBoundsException("B too small");
        }
        if (rowBias != null && rowBias.length < m) throw new IllegalArgumentException("row bias shorter than m " + m);
        if (act != null) {
            if (ldo < n) throw new IllegalArgumentException("ldo " + ldo + " < n " + n);
            if (outOff < 0 || (long) outOff + (long) (m - 1) * ldo + n > out.length) throw new IndexOutOfBoundsException("out too small");
            if (deriv && out == c) throw new IllegalArgumentException("out must not be C when the derivative replaces C");
        }
    }

    /** The checks of {@link KernelBackend#sgemmTransA}: those of a packed product, with A stored k×m. */
    static void checkTransA(int m, int n, int k, int aLen, int aOff, int lda, int bLen, int bOff, int ldb, float[] rowBias,
                            int cLen, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo, boolean deriv,
                            float[] c) {
        checkPackedA(m, n, k, 0, 0, bLen, bOff, ldb, rowBias, cLen, cOff, ldc, act, out, outOff, ldo, deriv, c);
        if (m > 0 && n > 0 && k > 0) {
            if (lda < m) throw new IllegalArgumentException("lda " + lda + " < m " + m);
            if (aOff < 0 || (long) aOff + (long) (k - 1) * lda + m > aLen) {
                throw new IndexOutOfBoundsException("A too small: " + k + "x" + m + " at offset " + aOff + " stride " + lda
                        + " needs " + ((long) aOff + (long) (k - 1) * lda + m) + " floats, has " + aLen);
            }
        }
    }

    @Override
    public void sgemmTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate,
                            float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                            boolean deriv) {
        checkTransA(m, n, k, a.length, aOff, lda, b.length, bOff, ldb, rowBias, c.length, cOff, ldc, act, out, outOff, ldo,
                deriv, c);
        if (m == 0 || n == 0) return;
        float[] packed = Buffers.get().floats(4, m * k);
        packA(true, m, k, a, aOff, lda, packed);
        sgemmPackedA(m, n, k, packed, b, bOff, ldb, accumulate, rowBias, c, cOff, ldc, act, out, outOff, ldo, deriv);
    }

    @Override
    public void sgemmTransAScaled(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
                                  int cOff, int ldc) {
        checkTransA(m, n, k, a.length, aOff, lda, b.length, bOff, ldb, null, c.length, cOff, ldc, null, null, 0, 0, false, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + p * lda + i], b[bOff + p * ldb + j], acc);
                c[cOff + i * ldc + j] *= acc;
            }
        }
    }

    @Override
    public void sgemmPackedATransScaled(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, float[] c,
                                        int cOff, int ldc) {
        checkPackedTrans(m, n, k, packed.length, packedASize(k, m), b.length, bOff, ldb, c.length, cOff, ldc, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(packed[p * m + i], b[bOff + p * ldb + j], acc);
                c[cOff + i * ldc + j] *= acc;
            }
        }
    }

    /** The checks of {@link KernelBackend#sgemmPackedATransScaled}: P is a packed k×m matrix. */
    static void checkPackedTrans(int m, int n, int k, int packedLen, int packedSize, int bLen, int bOff, int ldb, int cLen,
                                 int cOff, int ldc, float[] c) {
        checkPackedA(m, n, k, 0, 0, bLen, bOff, ldb, null, cLen, cOff, ldc, null, null, 0, 0, false, c);
        if (m > 0 && n > 0 && packedLen < packedSize) {
            throw new IllegalArgumentException("packed P has " + packedLen + " floats, a packed " + k + "×" + m + " needs "
                    + packedSize);
        }
    }

    @Override
    public int packedASize(int m, int k) {
        return m * k;
    }

    @Override
    public void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst, int i0, int i1, int p0, int p1) {
        checkPackBlock(m, k, dst.length, packedASize(m, k), i0, i1, p0, p1);
        for (int i = i0; i < i1; i++) {
            for (int p = p0; p < p1; p++) dst[i * k + p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }
    }

    @Override
    public void sgemmPackedA(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, boolean accumulate,
                             float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                             boolean deriv) {
        checkPackedA(m, n, k, packed.length, packedASize(m, k), b.length, bOff, ldb, rowBias, c.length, cOff, ldc, act, out,
                outOff, ldo, deriv, c);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c[ci + j] : rowBias != null ? rowBias[i] : 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(packed[i * k + p], b[bOff + p * ldb + j], acc);
                c[ci + j] = acc;
            }
            if (act != null) {
                int oi = outOff + i * ldo;
                for (int j = 0; j < n; j++) {
                    double z = c[ci + j];
                    out[oi + j] = (float) act.apply(z);
                    if (deriv) c[ci + j] = (float) act.derivative(z);
                }
            }
        }
    }

    // ---------------------------------------------------------------- sgemm

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        checkGemm(m, n, k, a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        if (k == 0) return;
        final float[] bb;
        final int bo, lb;
        if (transB) {
            bb = Buffers.get().floats(0, k * n);
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) bb[p * n + j] = b[src + p];
            }
            bo = 0;
            lb = n;
        } else {
            bb = b;
            bo = bOff;
            lb = ldb;
        }
        int chunks = chunksFor((long) m * n * k, m);
        if (chunks == 1) {
            sgemmRows(0, m, transA, n, k, a, aOff, lda, bb, bo, lb, c, cOff, ldc);
        } else {
            Parallel.forEachChunk(chunks, ch -> {
                int r0 = (int) ((long) m * ch / chunks), r1 = (int) ((long) m * (ch + 1) / chunks);
                sgemmRows(r0, r1, transA, n, k, a, aOff, lda, bb, bo, lb, c, cOff, ldc);
            });
        }
    }

    private static void sgemmRows(int r0, int r1, boolean transA, int n, int k, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int kc = Math.max(8, B_BLOCK / Math.max(1, n));
        for (int pc = 0; pc < k; pc += kc) {
            int pe = Math.min(k, pc + kc);
            for (int i = r0; i < r1; i++) {
                int ci = cOff + i * ldc;
                for (int p = pc; p < pe; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bi = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bi + j];
                }
            }
        }
    }

    // ---------------------------------------------------------------- dgemm

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        dgemmImpl(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    static void dgemmImpl(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                          double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        checkGemm(m, n, k, a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
        if (k == 0) return;
        final double[] bb;
        final int bo, lb;
        if (transB) {
            bb = Buffers.get().doubles(k * n);
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) bb[p * n + j] = b[src + p];
            }
            bo = 0;
            lb = n;
        } else {
            bb = b;
            bo = bOff;
            lb = ldb;
        }
        int chunks = chunksFor((long) m * n * k, m);
        if (chunks == 1) {
            dgemmRows(0, m, transA, n, k, a, aOff, lda, bb, bo, lb, c, cOff, ldc);
        } else {
            Parallel.forEachChunk(chunks, ch -> {
                int r0 = (int) ((long) m * ch / chunks), r1 = (int) ((long) m * (ch + 1) / chunks);
                dgemmRows(r0, r1, transA, n, k, a, aOff, lda, bb, bo, lb, c, cOff, ldc);
            });
        }
    }

    private static void dgemmRows(int r0, int r1, boolean transA, int n, int k, double[] a, int aOff, int lda,
                                  double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        int kc = Math.max(8, (B_BLOCK / 2) / Math.max(1, n));
        for (int pc = 0; pc < k; pc += kc) {
            int pe = Math.min(k, pc + kc);
            for (int i = r0; i < r1; i++) {
                int ci = cOff + i * ldc;
                for (int p = pc; p < pe; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bi = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bi + j];
                }
            }
        }
    }

    // ---------------------------------------------------------------- fused Linear

    @Override
    public void sgemmBiasAct(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] bias, Activation act, float[] z, float[] out, int ldc) {
        float[] t = z != null ? z : out;
        if (bias != null && bias.length < n) throw new IllegalArgumentException("bias shorter than n");
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            if (bias != null) System.arraycopy(bias, 0, t, ci, n);
            else java.util.Arrays.fill(t, ci, ci + n, 0f);
        }
        sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, true, t, 0, ldc);
        if (act == Activation.IDENTITY && t == out) return;
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            for (int j = 0; j < n; j++) out[ci + j] = (float) act.apply(t[ci + j]);
        }
    }

    @Override
    public void sgemmBiasActDerivative(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                       float[] b, int bOff, int ldb, float[] bias, Activation act, float[] deriv, float[] out, int ldc) {
        if (out == deriv) throw new IllegalArgumentException("out must be a separate buffer from deriv");
        sgemmBiasAct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias, act, deriv, out, ldc);
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            for (int j = 0; j < n; j++) deriv[ci + j] = (float) act.derivative(deriv[ci + j]);
        }
    }

    @Override
    public void multiplyInPlace(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] *= x[xOff + i];
    }

    @Override
    public void activationForward(Activation act, float[] z, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) act.apply(z[i]);
    }

    @Override
    public void activationBackward(Activation act, float[] z, float[] gradOut, float[] gradIn, int n) {
        switch (act) {
            case IDENTITY:
                if (gradIn != gradOut) System.arraycopy(gradOut, 0, gradIn, 0, n);
                return;
            case RELU:
                for (int i = 0; i < n; i++) gradIn[i] = z[i] > 0f ? gradOut[i] : 0f;
                return;
            default:
                for (int i = 0; i < n; i++) gradIn[i] = (float) (gradOut[i] * act.derivative(z[i]));
        }
    }

    // ---------------------------------------------------------------- vectors

    @Override
    public void columnSums(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(out, 0, cols, 0f);
        for (int i = 0; i < rows; i++) {
            int xi = i * cols;
            for (int j = 0; j < cols; j++) out[j] += x[xi + j];
        }
    }

    @Override
    public void adamUpdate(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float b1, float b2,
                           float bc1, float bc2, float eps, float wd) {
        float c1 = 1f - b1, c2 = 1f - b2;
        float step = lr / bc1, ibc2 = 1f / bc2, decay = lr * wd;
        for (int i = off; i < off + n; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi * ibc2) + eps;
            float pi = p[i];
            p[i] = pi - ((mi * step) / denom + pi * decay);
        }
    }

    @Override
    public void dotRows(int m, int nb, int n, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] out,
                        int outOff, int ldoI, int ldoJ) {
        checkDotRows(m, nb, n, a.length, aOff, lda, b.length, bOff, ldb, out.length, outOff, ldoI, ldoJ);
        for (int j = 0; j < nb; j++) {
            for (int i = 0; i < m; i++) {
                out[outOff + i * ldoI + j * ldoJ] = dot(a, aOff + i * lda, b, bOff + j * ldb, n);
            }
        }
    }

    /** The bounds checks of {@link KernelBackend#dotRows}, shared by the backends. */
    static void checkDotRows(int m, int nb, int n, int aLen, int aOff, int lda, int bLen, int bOff, int ldb, int outLen,
                             int outOff, int ldoI, int ldoJ) {
        if (m < 0 || nb < 0 || n < 0 || aOff < 0 || bOff < 0 || outOff < 0 || lda < 0 || ldb < 0 || ldoI < 0 || ldoJ < 0) {
            throw new IllegalArgumentException("dotRows: negative size, offset or stride (m=" + m + " nb=" + nb + " n=" + n + ")");
        }
        if (m == 0 || nb == 0) {
            return;
        }
        if (n > 0 && aOff + (long) (m - 1) * lda + n > aLen) {
            throw new IndexOutOfBoundsException("dotRows: A too small: " + m + "x" + n + " at offset " + aOff + " stride " + lda
                    + " needs " + (aOff + (long) (m - 1) * lda + n) + " floats, has " + aLen);
        }
        if (n > 0 && bOff + (long) (nb - 1) * ldb + n > bLen) {
            throw new IndexOutOfBoundsException("dotRows: B too small: " + nb + "x" + n + " at offset " + bOff + " stride " + ldb
                    + " needs " + (bOff + (long) (nb - 1) * ldb + n) + " floats, has " + bLen);
        }
        if (outOff + (long) (m - 1) * ldoI + (long) (nb - 1) * ldoJ >= outLen) {
            throw new IndexOutOfBoundsException("dotRows: out too small: " + m + "x" + nb + " at offset " + outOff + " strides "
                    + ldoI + ", " + ldoJ + " needs " + (outOff + (long) (m - 1) * ldoI + (long) (nb - 1) * ldoJ + 1)
                    + " floats, has " + outLen);
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) s0 += a[aOff + i] * b[bOff + i];
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        return (float) sumSq(x, off, n);
    }

    static double sumSq(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double x0 = x[off + i], x1 = x[off + i + 1], x2 = x[off + i + 2], x3 = x[off + i + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < n; i++) {
            double xi = x[off + i];
            s0 += xi * xi;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The argument checks of a block of {@link KernelBackend#packA}, shared by the backends. */
    static void checkPackBlock(int m, int k, int dstLength, int packedSize, int i0, int i1, int p0, int p1) {
        if (m < 0 || k < 0) {
            throw new IllegalArgumentException("packA: negative shape " + m + "x" + k);
        }
        if (dstLength < packedSize) {
            throw new IllegalArgumentException("packA: dst holds " + dstLength + " floats, a packed " + m + "x" + k
                    + " matrix needs " + packedSize);
        }
        if (i0 < 0 || i0 > i1 || i1 > m || p0 < 0 || p0 > p1 || p1 > k) {
            throw new IllegalArgumentException("packA: block rows [" + i0 + ", " + i1 + ") x columns [" + p0 + ", " + p1
                    + ") is not inside the " + m + "x" + k + " matrix");
        }
    }
}
