package org.flowmatch4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API kernels ({@code jdk.incubator.vector}). Loaded reflectively by {@link Kernels} only
 * when the module is present.
 *
 * <p>SGEMM: large products use packed A panels (MR rows interleaved per k) and packed B panels
 * (NR = 2·VL columns per k), K blocked by KC for L1/L2, and a register-tiled micro-kernel
 * (12×32 on AVX-512: 24 accumulators). Small products (and tiny k) use a direct 4-row kernel that
 * reads A and B in place. Every C element is computed as {@code init} followed by a chain of fused
 * multiply-adds in ascending k, whatever the path, blocking or thread split, so results are
 * bit-identical for any {@link Parallel#threads()}. Work is split over M (or N) tiles only.
 */
final class VectorBackend implements KernelBackend {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();

    /** Micro-tile shape: rows × vectors. */
    static final int TILE = Integer.getInteger("flowmatch.kernels.tile", VL >= 16 ? 122 : 64);
    static final int MR = TILE == 122 ? 12 : TILE == 83 ? 8 : 6;
    static final int NV = TILE == 122 ? 2 : TILE == 83 ? 3 : 4;
    static final int NR = NV * VL;
    static final int KC = Integer.getInteger("flowmatch.kernels.kc", 1024);
    static final int MC = Math.max(1, Integer.getInteger("flowmatch.kernels.mc", 192) / MR) * MR;
    static final int NC = Math.max(1, Integer.getInteger("flowmatch.kernels.nc", 2048) / NR) * NR;
    /** Products with fewer multiply-adds than this (or with k below DIRECT_K) take the direct path. */
    static final long DIRECT_WORK = Long.getLong("flowmatch.kernels.direct", 1L << 21);
    static final int DIRECT_K = 16;
    /** Below this many multiply-adds a product runs on one thread. */
    static final long PARALLEL_WORK = Long.getLong("flowmatch.kernels.parallel", 1L << 19);


    /** How a micro-kernel initialises its tile: zeros, the old C, the column bias, or the row bias. */
    static final int ZERO = 0, LOAD = 1, BIAS = 2, ROW_BIAS = 3;
    /** Product mode of {@link #sgemmTransAScaled}: the sum starts from zero, and C is multiplied by it. */
    static final int SCALE_C = 4;

    @Override
    public String name() {
        return "vector";
    }

    // ================================================================ sgemm

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        ScalarBackend.checkGemm(m, n, k, a.length, aOff, lda, transA, b.length, bOff, ldb, transB, c.length, cOff, ldc);
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, null, null, null, false);
    }

    @Override
    public void sgemmBiasAct(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] bias, Activation act, float[] z, float[] out, int ldc) {
        float[] t = z != null ? z : out;
        ScalarBackend.checkGemm(m, n, k, a.length, aOff, lda, transA, b.length, bOff, ldb, transB, t.length, 0, ldc);
        if (out.length < t.length && m > 0 && n > 0 && (long) (m - 1) * ldc + n > out.length)
            throw new IndexOutOfBoundsException("out too small");
        if (bias != null && bias.length < n) throw new IllegalArgumentException("bias shorter than n");
        if (act == Activation.IDENTITY && t == out) act = null;
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, false, t, 0, ldc, bias, act, act == null ? null : out, false);
    }

    @Override
    public void sgemmBiasActDerivative(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                       float[] b, int bOff, int ldb, float[] bias, Activation act, float[] deriv, float[] out, int ldc) {
        ScalarBackend.checkGemm(m, n, k, a.length, aOff, lda, transA, b.length, bOff, ldb, transB, deriv.length, 0, ldc);
        if (out.length < deriv.length || out == deriv) throw new IllegalArgumentException("out must be a separate buffer as large as deriv");
        if (bias != null && bias.length < n) throw new IllegalArgumentException("bias shorter than n");
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, false, deriv, 0, ldc, bias, act, out, true);
    }

    /** The common driver: C = (accumulate ? C : bias or 0) + op(A)op(B); then out = act(C) if act != null. */
    private static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                             float[] bias, Activation act, float[] out, boolean deriv) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (!accumulate) {
                    if (bias != null) System.arraycopy(bias, 0, c, ci, n);
                    else java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
                if (act != null) epilogue(act, c, ci, out, ci, n, deriv);
            }
            return;
        }
        long work = (long) m * n * k;
        boolean solo = work < PARALLEL_WORK || Parallel.threads() == 1 || Parallel.inParallelRegion();
        if (n < VL) {
            // narrow output (e.g. the n = 2 output layer, or the [H, 3] weight gradient of the input layer)
            narrow(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv);
            return;
        }
        if (work < DIRECT_WORK || k < DIRECT_K) {
            direct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv, solo);
        } else {
            packed(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv, solo);
        }
    }

    // ---------------------------------------------------------------- packed A, B in place

    /** K slice and row block of {@link #sgemmPackedA} (rows: a multiple of 12). */
    static final int KCP = Integer.getInteger("flowmatch.kernels.kcp", 1024);
    static final int MCP = Math.max(1, Integer.getInteger("flowmatch.kernels.mcp", 96) / 12) * 12;
    /** Column block of {@link #sgemmPackedA} (a multiple of 2·VL): the B slice it reuses across row blocks stays in L2. */
    static final int NCP = Math.max(1, Integer.getInteger("flowmatch.kernels.ncp", 256) / (2 * VL)) * 2 * VL;
    /** A K slice of B longer than this many floats (rows × stride) is packed by {@link #sgemmPackedA}, not read in place. */
    static final long PACK_B_SPAN = Long.getLong("flowmatch.kernels.packBSpan", 1L << 17);

    /** Rows of the packed-A panel starting at row i0 of m: 12, or 4 for a last panel of at most 4 rows. */
    private static int panelHeight(int m, int i0) {
        return m - i0 <= 4 ? 4 : 12;
    }

    @Override
    public int packedASize(int m, int k) {
        int full = m / 12 * 12;
        int rem = m - full;
        return (full + (rem == 0 ? 0 : rem <= 4 ? 4 : 12)) * k;
    }

    @Override
    public void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst, int i0, int i1, int p0, int p1) {
        ScalarBackend.checkPackBlock(m, k, dst.length, packedASize(m, k), i0, i1, p0, p1);
        if (p0 == p1) return;
        for (int q0 = i0 / 12 * 12; q0 < i1; q0 += 12) {
            int h = panelHeight(m, q0);
            int rows = Math.min(h, m - q0);
            int s = Math.max(i0, q0), e = Math.min(i1, q0 + rows);
            int d = q0 * k;
            if (rows < h && e == q0 + rows) {
                // the block holding the panel's last row writes the padding rows of its columns
                for (int p = p0; p < p1; p++) java.util.Arrays.fill(dst, d + p * h + rows, d + (p + 1) * h, 0f);
            }
            int p = p0;
            if (s == q0 && e == q0 + 12 && VL == 16) {
                // the whole 12-row panel: one 16-float store per p, whose 4 extra floats land where p + 1's 12 go
                // (written next), so the block's last column goes through the scalar loop below: its spill would
                // reach a column another block may be packing
                int dp = d + p * 12;
                if (transA) {
                    // 12 contiguous floats per p; the reads stay inside the array
                    int src = aOff + p * lda + q0;
                    int pEnd = Math.min(p1 - 1, p0 + Math.floorDiv(a.length - VL - src, Math.max(1, lda)) + 1);
                    for (; p < pEnd; p++, src += lda, dp += 12) {
                        FloatVector.fromArray(S, a, src).intoArray(dst, dp);
                    }
                } else {
                    // 16 columns at a time transposed in registers while the spill of the 16th stays inside the
                    // block, then one gather of the 12 rows' p-th elements per p (lanes 12..15 repeat row 11)
                    int s0 = aOff + q0 * lda;
                    for (; p + 16 < p1; p += 16, dp += 16 * 12) VectorTranspose.block(a, s0 + p, lda, 12, dst, dp, 12);
                    int[] rowsAt = gatherIndex(lda, 12);
                    for (; p < p1 - 1; p++, dp += 12) {
                        FloatVector.fromArray(S, a, s0 + p, rowsAt, 0).intoArray(dst, dp);
                    }
                }
            }
            // destination-ordered: each p writes one contiguous group of the block's rows in the panel
            for (; p < p1; p++) {
                int dp = d + p * h - q0;
                if (transA) {
                    int src = aOff + p * lda;
                    for (int r = s; r < e; r++) dst[dp + r] = a[src + r];
                } else {
                    for (int r = s; r < e; r++) dst[dp + r] = a[aOff + r * lda + p];
                }
            }
        }
    }

    @Override
    public void sgemmPackedA(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, boolean accumulate,
                             float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                             boolean deriv) {
        ScalarBackend.checkPackedA(m, n, k, packed.length, packedASize(m, k), b.length, bOff, ldb, rowBias, c.length, cOff, ldc,
                act, out, outOff, ldo, deriv, c);
        if (m == 0 || n == 0) return;
        blockedProduct(m, n, k, packed, 0, 0, null, b, bOff, ldb, accumulate ? LOAD : rowBias != null ? ROW_BIAS : ZERO, rowBias,
                c, cOff, ldc, act, out, outOff, ldo, deriv);
    }

    @Override
    public void sgemmTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate,
                            float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                            boolean deriv) {
        ScalarBackend.checkTransA(m, n, k, a.length, aOff, lda, b.length, bOff, ldb, rowBias, c.length, cOff, ldc, act, out,
                outOff, ldo, deriv, c);
        if (m == 0 || n == 0) return;
        float[] tail = transATail(m, k, a, aOff, lda);
        blockedProduct(m, n, k, a, aOff, lda, tail, b, bOff, ldb, accumulate ? LOAD : rowBias != null ? ROW_BIAS : ZERO, rowBias,
                c, cOff, ldc, act, out, outOff, ldo, deriv);
    }

    @Override
    public void sgemmTransAScaled(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
                                  int cOff, int ldc) {
        ScalarBackend.checkTransA(m, n, k, a.length, aOff, lda, b.length, bOff, ldb, null, c.length, cOff, ldc, null, null, 0, 0,
                false, c);
        if (m == 0 || n == 0) return;
        blockedProduct(m, n, k, a, aOff, lda, transATail(m, k, a, aOff, lda), b, bOff, ldb, SCALE_C, null, c, cOff, ldc, null,
                null, 0, 0, false);
    }

    @Override
    public void sgemmPackedATransScaled(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, float[] c,
                                        int cOff, int ldc) {
        ScalarBackend.checkPackedTrans(m, n, k, packed.length, packedASize(k, m), b.length, bOff, ldb, c.length, cOff, ldc, c);
        if (m == 0 || n == 0) return;
        final int nrMax = 2 * VL;
        Buffers buf = Buffers.get();
        float[] t = buf.floats(3, 12 * nrMax);
        // a column tile of B (k × 2·VL) against every row tile of Pᵀ; the products go through a scratch tile, then C is
        // multiplied by them. The tile is read in place, or copied (zero-padded) when it holds B's last columns or
        // spans many pages (as in sgemmPackedA)
        boolean copyB = (long) k * ldb > PACK_B_SPAN;
        for (int j0 = 0; j0 < n; j0 += nrMax) {
            int nr = Math.min(nrMax, n - j0);
            float[] bb = b;
            int bo = bOff + j0, lb = ldb;
            if (nr < nrMax || copyB) {
                bb = paddedColumns(b, bo, ldb, k, nr, buf);
                bo = 0;
                lb = nrMax;
            }
            int i0 = 0;
            for (; i0 + 12 <= m; i0 += 12) {
                kernelPT12x2(m, k, packed, i0, bb, bo, lb, t, 0, nrMax);
                scaleBy(c, cOff + i0 * ldc + j0, ldc, t, nrMax, 12, nr);
            }
            for (; i0 + 4 <= m; i0 += 4) {
                kernelPT4x2(m, k, packed, i0, bb, bo, lb, t, 0, nrMax);
                scaleBy(c, cOff + i0 * ldc + j0, ldc, t, nrMax, 4, nr);
            }
            for (; i0 < m; i0++) {
                kernelPT1x2(m, k, packed, i0, bb, bo, lb, t, 0, nrMax);
                scaleBy(c, cOff + i0 * ldc + j0, ldc, t, nrMax, 1, nr);
            }
        }
    }

    /**
     * The {@code kc × nr} block of B at {@code b[bo + p·ldb + j]} ({@code nr ≤ 2·VL}) copied into a contiguous
     * {@code kc × 2·VL} panel of this thread's buffer 2, the columns past nr zero: what the kernels read in place of B
     * where B's own rows end too soon or lie too far apart.
     */
    private static float[] paddedColumns(float[] b, int bo, int ldb, int kc, int nr, Buffers buf) {
        final int nrMax = 2 * VL;
        float[] dst = buf.floats(2, Math.max(1, kc) * nrMax + VL);
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bo + p * ldb, dst, p * nrMax, nr);
            java.util.Arrays.fill(dst, p * nrMax + nr, (p + 1) * nrMax, 0f);
        }
        return dst;
    }

    /** {@code C ← C ⊙ T} over {@code rows × cols} ({@code cols ≤ 2·VL}; T row-major with stride ldt). */
    private static void scaleBy(float[] c, int co, int ldc, float[] t, int ldt, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int ci = co + r * ldc, ti = r * ldt;
            if (cols == 2 * VL) {
                FloatVector.fromArray(S, c, ci).mul(FloatVector.fromArray(S, t, ti)).intoArray(c, ci);
                FloatVector.fromArray(S, c, ci + VL).mul(FloatVector.fromArray(S, t, ti + VL)).intoArray(c, ci + VL);
            } else {
                for (int j = 0; j < cols; j++) c[ci + j] *= t[ti + j];
            }
        }
    }

    /**
     * A panel of Aᵀ is 12 (or 4) consecutive floats of each row of A, read in place with stride lda; only a last panel
     * with fewer real rows than its height goes through a zero-padded copy (returned; null when there is none), so no
     * read passes a row's end.
     */
    private static float[] transATail(int m, int k, float[] a, int aOff, int lda) {
        int full = m / 12 * 12;
        int tailH = panelHeight(m, full);
        if (full == m || m - full == tailH) return null;
        float[] tail = Buffers.get().floats(4, Math.max(1, k) * tailH);
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < tailH; r++) {
                tail[p * tailH + r] = full + r < m ? a[aOff + p * lda + full + r] : 0f;
            }
        }
        return tail;
    }

    /**
     * {@link #sgemmPackedA} ({@code lda == 0}: A packed) or {@link #sgemmTransA} (A stored k×m, read in place with
     * stride lda, its short last panel in {@code tail}).
     */
    private static void blockedProduct(int m, int n, int k, float[] a, int aOff, int lda, float[] tail, float[] b, int bOff,
                                       int ldb, int mode0, float[] rowBias, float[] c, int cOff, int ldc,
                                       Activation act, float[] out, int outOff, int ldo, boolean deriv) {
        // scaling C by the product needs the whole sum at once: no K slices then
        int kcp = mode0 == SCALE_C ? Math.max(1, k) : KCP;
        final int nrMax = 2 * VL;
        Buffers buf = Buffers.get();
        // cache blocking: a KCP-deep slice of the packed A, MCP rows at a time (L2), against the column tiles of an
        // NCP-wide block of B (one KCP×2·VL panel each); partial sums go through C between K slices, the activation
        // comes after the last one
        for (int pc = 0; pc == 0 || pc < k; pc += kcp) { // once even for k = 0: C = init (and its activation)
            int kc = Math.min(kcp, k - pc);
            boolean lastK = pc + kc >= k;
            int mode = pc == 0 ? mode0 : LOAD;
            // B is read in place while a K slice of it spans few pages; a long-strided one (a wide batch) is first
            // copied block by block into contiguous panels, which the TLB and the prefetchers handle better
            boolean packB = (long) kc * ldb > PACK_B_SPAN && NR == nrMax;
            for (int jc = 0; jc < n; jc += NCP) {
                int jcEnd = Math.min(n, jc + NCP);
                float[] bpk = null;
                if (packB) {
                    bpk = buf.floats(1, kc * roundUp(jcEnd - jc, nrMax) + VL);
                    packB(b, bOff, ldb, pc, kc, jc, jcEnd - jc, bpk);
                }
                for (int ic = 0; ic < m; ic += MCP) {
                    int icEnd = Math.min(m, ic + MCP);
                    for (int j0 = jc; j0 < jcEnd; j0 += nrMax) {
                        int nr = Math.min(nrMax, n - j0);
                        float[] bb = b;
                        int bo = bOff + pc * ldb + j0, lb = ldb;
                        if (packB) {
                            bb = bpk;
                            bo = (j0 - jc) * kc;
                            lb = nrMax;
                        } else if (nr < nrMax) {
                            // the last columns through a zero-padded copy, so the kernel never reads past B
                            bb = paddedColumns(b, bo, ldb, kc, nr, buf);
                            bo = 0;
                            lb = nrMax;
                        }
                        for (int i0 = ic; i0 < icEnd; i0 += 12) {
                            tile(m, i0, j0, nr, kc, pc, k, a, aOff, lda, tail, bb, bo, lb, c, cOff, ldc, mode, rowBias,
                                    lastK ? act : null, out, outOff, ldo, deriv, buf);
                        }
                    }
                }
            }
        }
    }

    /** One 12×2·VL (or 4×2·VL) tile of {@link #sgemmPackedA} for K slice {@code [pc, pc + kc)}, with its activation. */
    private static void tile(int m, int i0, int j0, int nr, int kc, int pc, int k, float[] a, int aOff, int lda, float[] tail,
                             float[] bb, int bo, int lb, float[] c, int cOff, int ldc, int mode, float[] rowBias,
                             Activation act, float[] out, int outOff, int ldo, boolean deriv, Buffers buf) {
        final int nrMax = 2 * VL;
        int h = panelHeight(m, i0);
        int rows = Math.min(h, m - i0);
        int co = cOff + i0 * ldc + j0;
        float[] ap = a;
        int ao, as;
        if (lda == 0) {
            ao = i0 * k + pc * h;
            as = h;
        } else if (rows < h) {
            ap = tail;
            ao = pc * h;
            as = h;
        } else {
            ao = aOff + pc * lda + i0;
            as = lda;
        }
        if (rows == h && nr == nrMax && mode == SCALE_C) {
            // the product through a scratch tile, then C times it (in the kernel, the extra code kept C2 from
            // compiling it)
            float[] t = buf.floats(3, 24 * nrMax);
            kernelB(h, kc, ap, ao, as, bb, bo, lb, t, 0, nrMax, ZERO, null, 0);
            scaleBy(c, co, ldc, t, nrMax, h, nrMax);
            return;
        }
        if (rows == h && nr == nrMax) {
            kernelB(h, kc, ap, ao, as, bb, bo, lb, c, co, ldc, mode, rowBias, i0);
            if (act != null) {
                for (int r = 0; r < rows; r++) {
                    epilogue(act, c, co + r * ldc, out, outOff + (i0 + r) * ldo + j0, nr, deriv);
                }
            }
            return;
        }
        // a partial tile is computed, activated and only then copied out, all at full vector width, so every element
        // goes through the same vector code wherever the caller splits N
        float[] tile = buf.floats(3, 24 * nrMax);
        java.util.Arrays.fill(tile, 0, 12 * nrMax, 0f);
        for (int r = 0; r < rows; r++) {
            if (mode == LOAD) System.arraycopy(c, co + r * ldc, tile, r * nrMax, nr);
            else if (mode == ROW_BIAS) java.util.Arrays.fill(tile, r * nrMax, r * nrMax + nr, rowBias[i0 + r]);
        }
        kernelB(h, kc, ap, ao, as, bb, bo, lb, tile, 0, nrMax, LOAD, null, 0);
        if (mode == SCALE_C) {
            // no activation with C ⊙ (Aᵀ·B)
            scaleBy(c, co, ldc, tile, nrMax, rows, nr);
            return;
        }
        int to = 12 * nrMax;
        for (int r = 0; r < rows; r++) {
            if (act != null) epilogue(act, tile, r * nrMax, tile, to + r * nrMax, nrMax, deriv);
            System.arraycopy(tile, r * nrMax, c, co + r * ldc, nr);
            // after C: out may be C itself
            if (act != null) System.arraycopy(tile, to + r * nrMax, out, outOff + (i0 + r) * ldo + j0, nr);
        }
    }

    /** Per-thread gather offsets {@code {0, ld, 2·ld, …}} for {@code rows} rows, the last row repeated up to VL lanes. */
    private static int[] gatherIndex(int ld, int rows) {
        int[] idx = GATHER.get();
        if (idx[VL] != ld || idx[VL + 1] != rows) {
            for (int i = 0; i < VL; i++) idx[i] = Math.min(i, rows - 1) * ld;
            idx[VL] = ld;
            idx[VL + 1] = rows;
        }
        return idx;
    }

    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[VL + 2]);
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[VL]);

    private static void kernelB(int h, int kc, float[] ap, int ao, int as, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                                int mode, float[] rowBias, int bi) {
        if (h == 12) kernelB12x2(kc, ap, ao, as, b, bo, ldb, c, co, ldc, mode, rowBias, bi);
        else kernelB4x2(kc, ap, ao, as, b, bo, ldb, c, co, ldc, mode, rowBias, bi);
    }

    // ---------------------------------------------------------------- packed path

    private static void packed(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                               float[] bias, Activation act, float[] out, boolean deriv, boolean solo) {
        int mt = (m + MR - 1) / MR, nt = (n + NR - 1) / NR;
        int t = solo ? 1 : Parallel.threads();
        boolean splitM = mt >= nt || mt >= 2 * t;
        int parts = Math.min(t, splitM ? mt : nt);
        if (parts <= 1) {
            packedBlock(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv);
            return;
        }
        Parallel.forEachChunk(parts, ch -> {
            if (splitM) {
                int i0 = (int) ((long) mt * ch / parts) * MR, i1 = Math.min(m, (int) ((long) mt * (ch + 1) / parts) * MR);
                packedBlock(transA, transB, i0, i1, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv);
            } else {
                int j0 = (int) ((long) nt * ch / parts) * NR, j1 = Math.min(n, (int) ((long) nt * (ch + 1) / parts) * NR);
                packedBlock(transA, transB, 0, m, j0, j1, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, act, out, deriv);
            }
        });
    }

    /** Computes C[i0:i1, j0:j1] with this thread's packing buffers. */
    private static void packedBlock(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate,
                                    float[] c, int cOff, int ldc, float[] bias, Activation act, float[] out, boolean deriv) {
        if (i0 >= i1 || j0 >= j1) return;
        Buffers buf = Buffers.get();
        int kcMax = Math.min(KC, k);
        float[] bp = buf.floats(2, kcMax * Math.min(NC, roundUp(j1 - j0, NR)) + VL);
        float[] ap = buf.floats(1, kcMax * Math.min(MC, roundUp(i1 - i0, MR)) + VL);
        float[] tile = buf.floats(3, MR * NR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0, last = pc + kc == k;
                int mode = first ? (accumulate ? LOAD : bias != null ? BIAS : ZERO) : LOAD;
                if (transB) packBT(b, bOff, ldb, pc, kc, jc, nc, bp);
                else packB(b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (transA) packAT(a, aOff, lda, ic, mc, pc, kc, ap);
                    else packA(a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bo = jr * kc;
                        int gj = jc + jr;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int gi = ic + ir;
                            int co = cOff + gi * ldc + gj;
                            if (mr == MR && nr == NR) {
                                micro(kc, ap, ir * kc, bp, bo, c, co, ldc, mode, bias, gj);
                            } else if (mr == 4 && nr == NR && MR == 12 && NR == 2 * VL && mode != BIAS) {
                                // a last panel of 4 rows (m = 12q + 4, as for widths 64 and 256): the 4-row kernel on
                                // the first 4 of each 12 packed floats, the same FMA chains as a padded 12-row tile
                                kernelB4x2(kc, ap, ir * kc, MR, bp, bo, NR, c, co, ldc, mode, null, 0);
                            } else {
                                edgeTile(kc, ap, ir * kc, bp, bo, c, co, ldc, mode, bias, gj, mr, nr, tile);
                            }
                            if (last && act != null) {
                                for (int r = 0; r < mr; r++) epilogue(act, c, co + r * ldc, out, co + r * ldc, nr, deriv);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }

    private static void micro(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mode,
                              float[] bias, int bj) {
        if (TILE == 122) kernel12x2(kc, ap, ao, bp, bo, c, co, ldc, mode, bias, bj);
        else if (TILE == 83) kernel8x3(kc, ap, ao, bp, bo, c, co, ldc, mode, bias, bj);
        else kernel6x4(kc, ap, ao, bp, bo, c, co, ldc, mode, bias, bj);
    }

    private static void edgeTile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mode,
                                 float[] bias, int bj, int mr, int nr, float[] tile) {
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        if (mode == LOAD) {
            for (int r = 0; r < mr; r++) System.arraycopy(c, co + r * ldc, tile, r * NR, nr);
        } else if (mode == BIAS) {
            for (int r = 0; r < mr; r++) System.arraycopy(bias, bj, tile, r * NR, nr);
        }
        micro(kc, ap, ao, bp, bo, tile, 0, NR, mode == ZERO ? ZERO : LOAD, null, 0);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, co + r * ldc, nr);
    }

    /** Packs op(A)[ic:ic+mc, pc:pc+kc], A row-major m×k, into MR-row panels (zero padded). */
    private static void packA(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (mr == 12 && VL == 16) {
                // 16 columns at a time transposed in registers, then a gather of the panel's 12 rows per p, each
                // stored 16 wide (the next p overwrites the 4 extra floats)
                int src = aOff + (ic + ir) * lda + pc;
                int p = 0, d = dst;
                for (; p + 16 < kc; p += 16, d += 16 * 12) VectorTranspose.block(a, src + p, lda, 12, ap, d, 12);
                int[] rowsAt = gatherIndex(lda, 12);
                int pEnd = Math.min(kc, Math.floorDiv(ap.length - VL - dst, 12) + 1);
                for (; p < pEnd; p++, d += 12) FloatVector.fromArray(S, a, src + p, rowsAt, 0).intoArray(ap, d);
                for (; p < kc; p++, d += 12) {
                    for (int r = 0; r < 12; r++) ap[d + r] = a[src + r * lda + p];
                }
                continue;
            }
            for (int r = 0; r < mr; r++) {
                int src = aOff + (ic + ir + r) * lda + pc;
                int d = dst + r;
                for (int p = 0; p < kc; p++, d += MR) ap[d] = a[src + p];
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0, d = dst + r; p < kc; p++, d += MR) ap[d] = 0f;
            }
        }
    }

    /** Packs op(A) = Aᵀ with A stored k×m. */
    private static void packAT(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic + ir;
                int d = dst + p * MR;
                for (int r = 0; r < mr; r++) ap[d + r] = a[src + r];
                for (int r = mr; r < MR; r++) ap[d + r] = 0f;
            }
        }
    }

    /** Packs B[pc:pc+kc, jc:jc+nc], B row-major k×n, into NR-column panels (zero padded). */
    private static void packB(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = dst + p * NR;
                    for (int v = 0; v < NR; v += VL) FloatVector.fromArray(S, b, src + v).intoArray(bp, d + v);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = dst + p * NR;
                    for (int j = 0; j < nr; j++) bp[d + j] = b[src + j];
                    for (int j = nr; j < NR; j++) bp[d + j] = 0f;
                }
            }
        }
    }

    /** Packs op(B) = Bᵀ with B stored n×k. */
    private static void packBT(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (nr == NR && NV == 2) {
                // the panel's 2·VL columns of op(B) are as many rows of B: 16 of their columns at a time transposed
                // in registers, the rest gathered per p, VL rows at a time
                int src = bOff + (jc + jr) * ldb + pc, src2 = src + VL * ldb;
                int p = 0, d = dst;
                if (VectorTranspose.AVAILABLE) {
                    for (; p + 16 <= kc; p += 16, d += 16 * NR) {
                        VectorTranspose.block(b, src + p, ldb, 16, bp, d, NR);
                        VectorTranspose.block(b, src2 + p, ldb, 16, bp, d + VL, NR);
                    }
                }
                int[] colsAt = gatherIndex(ldb, VL);
                for (; p < kc; p++, d += NR) {
                    FloatVector.fromArray(S, b, src + p, colsAt, 0).intoArray(bp, d);
                    FloatVector.fromArray(S, b, src2 + p, colsAt, 0).intoArray(bp, d + VL);
                }
                continue;
            }
            for (int j = 0; j < nr; j++) {
                int src = bOff + (jc + jr + j) * ldb + pc;
                int d = dst + j;
                for (int p = 0; p < kc; p++, d += NR) bp[d] = b[src + p];
            }
            for (int j = nr; j < NR; j++) {
                for (int p = 0, d = dst + j; p < kc; p++, d += NR) bp[d] = 0f;
            }
        }
    }

    // ---------------------------------------------------------------- direct path

    private static void direct(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                               float[] bias, Activation act, float[] out, boolean deriv, boolean solo) {
        final float[] bb;
        final int bo, lb;
        if (transB) {
            bb = Buffers.get().floats(0, k * n);
            transpose(b, bOff, ldb, n, k, bb);
            bo = 0;
            lb = n;
        } else {
            bb = b;
            bo = bOff;
            lb = ldb;
        }
        int ars = transA ? 1 : lda, acs = transA ? lda : 1;
        int mode = accumulate ? LOAD : bias != null ? BIAS : ZERO;
        int quads = (m + 3) / 4;
        int parts = solo ? 1 : Math.min(Parallel.threads(), quads);
        if (parts <= 1) {
            directRows(0, m, n, k, a, aOff, ars, acs, bb, bo, lb, c, cOff, ldc, mode, bias, act, out, deriv);
            return;
        }
        Parallel.forEachChunk(parts, ch -> {
            int r0 = (int) ((long) quads * ch / parts) * 4, r1 = Math.min(m, (int) ((long) quads * (ch + 1) / parts) * 4);
            directRows(r0, r1, n, k, a, aOff, ars, acs, bb, bo, lb, c, cOff, ldc, mode, bias, act, out, deriv);
        });
    }

    /**
     * C for n &lt; VL: op(B) is packed once into a zero-padded k×VL panel, and each row of C is one vector
     * accumulated over k (4 rows at a time). Rows go through a small padded scratch rather than masked
     * loads and stores, which are not intrinsified everywhere. Same k-ordered FMA chain per element as the
     * other paths, so results do not depend on the path taken.
     */
    private static void narrow(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                               float[] bias, Activation act, float[] out, boolean deriv) {
        Buffers buf = Buffers.get();
        float[] bp = buf.floats(3, k * VL);
        float[] rowBuf = buf.floats(0, 4 * VL);
        for (int p = 0; p < k; p++) {
            int row = p * VL;
            for (int j = 0; j < n; j++) bp[row + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            for (int j = n; j < VL; j++) bp[row + j] = 0f;
        }
        java.util.Arrays.fill(rowBuf, 0, 4 * VL, 0f);
        int ars = transA ? 1 : lda, acs = transA ? lda : 1;
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            for (int r = 0; r < rows; r++) {
                int ci = cOff + (i + r) * ldc;
                for (int j = 0; j < n; j++) rowBuf[r * VL + j] = accumulate ? c[ci + j] : bias != null ? bias[j] : 0f;
            }
            int a0 = aOff + i * ars, a1 = aOff + (i + Math.min(1, rows - 1)) * ars;
            int a2 = aOff + (i + Math.min(2, rows - 1)) * ars, a3 = aOff + (i + Math.min(3, rows - 1)) * ars;
            FloatVector x0 = FloatVector.fromArray(S, rowBuf, 0), x1 = FloatVector.fromArray(S, rowBuf, VL);
            FloatVector x2 = FloatVector.fromArray(S, rowBuf, 2 * VL), x3 = FloatVector.fromArray(S, rowBuf, 3 * VL);
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(S, bp, p * VL);
                int ap = p * acs;
                x0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, x0);
                x1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, x1);
                x2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, x2);
                x3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, x3);
            }
            x0.intoArray(rowBuf, 0);
            x1.intoArray(rowBuf, VL);
            x2.intoArray(rowBuf, 2 * VL);
            x3.intoArray(rowBuf, 3 * VL);
            for (int r = 0; r < rows; r++) {
                int ci = cOff + (i + r) * ldc;
                System.arraycopy(rowBuf, r * VL, c, ci, n);
                if (act != null) epilogue(act, c, ci, out, ci, n, deriv);
            }
        }
    }

    /** dst (k×n) = transpose of src (n×k, leading dim ld). */
    private static void transpose(float[] src, int off, int ld, int n, int k, float[] dst) {
        final int bs = 16;
        for (int j0 = 0; j0 < n; j0 += bs) {
            int j1 = Math.min(n, j0 + bs);
            for (int p0 = 0; p0 < k; p0 += bs) {
                int p1 = Math.min(k, p0 + bs);
                for (int j = j0; j < j1; j++) {
                    int s = off + j * ld;
                    for (int p = p0; p < p1; p++) dst[p * n + j] = src[s + p];
                }
            }
        }
    }

    private static void directRows(int r0, int r1, int n, int k, float[] a, int aOff, int ars, int acs,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int mode,
                                   float[] bias, Activation act, float[] out, boolean deriv) {
        for (int i = r0; i < r1; i += 4) {
            int rows = Math.min(4, r1 - i);
            int i1 = i + Math.min(1, rows - 1), i2 = i + Math.min(2, rows - 1), i3 = i + Math.min(3, rows - 1);
            int a0 = aOff + i * ars, a1 = aOff + i1 * ars, a2 = aOff + i2 * ars, a3 = aOff + i3 * ars;
            int c0 = cOff + i * ldc, c1 = cOff + i1 * ldc, c2 = cOff + i2 * ldc, c3 = cOff + i3 * ldc;
            int j = 0;
            for (; j + 2 * VL <= n; j += 2 * VL) {
                direct4x2(k, a, a0, a1, a2, a3, acs, b, bOff + j, ldb, c, c0 + j, c1 + j, c2 + j, c3 + j, rows, mode, bias, j);
            }
            for (; j + VL <= n; j += VL) {
                direct4x1(k, a, a0, a1, a2, a3, acs, b, bOff + j, ldb, c, c0 + j, c1 + j, c2 + j, c3 + j, rows, mode, bias, j);
            }
            for (; j < n; j++) {
                for (int r = 0; r < rows; r++) {
                    int ar = aOff + (i + r) * ars, ci = cOff + (i + r) * ldc + j;
                    float acc = mode == LOAD ? c[ci] : mode == BIAS ? bias[j] : 0f;
                    for (int p = 0; p < k; p++) acc = Math.fma(a[ar + p * acs], b[bOff + p * ldb + j], acc);
                    c[ci] = acc;
                }
            }
            if (act != null) {
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + (i + r) * ldc;
                    epilogue(act, c, ci, out, ci, n, deriv);
                }
            }
        }
    }

    private static void direct4x2(int k, float[] a, int a0, int a1, int a2, int a3, int acs, float[] b, int bo, int ldb,
                                  float[] c, int c0, int c1, int c2, int c3, int rows, int mode, float[] bias, int bj) {
        FloatVector x00 = FloatVector.zero(S), x01 = FloatVector.zero(S), x10 = FloatVector.zero(S), x11 = FloatVector.zero(S), x20 = FloatVector.zero(S), x21 = FloatVector.zero(S), x30 = FloatVector.zero(S), x31 = FloatVector.zero(S);
        if (mode == LOAD) {
            x00 = FloatVector.fromArray(S, c, c0); x01 = FloatVector.fromArray(S, c, c0 + VL);
            x10 = FloatVector.fromArray(S, c, c1); x11 = FloatVector.fromArray(S, c, c1 + VL);
            x20 = FloatVector.fromArray(S, c, c2); x21 = FloatVector.fromArray(S, c, c2 + VL);
            x30 = FloatVector.fromArray(S, c, c3); x31 = FloatVector.fromArray(S, c, c3 + VL);
        } else if (mode == BIAS) {
            x00 = x10 = x20 = x30 = FloatVector.fromArray(S, bias, bj);
            x01 = x11 = x21 = x31 = FloatVector.fromArray(S, bias, bj + VL);
        }
        for (int p = 0; p < k; p++) {
            int bi = bo + p * ldb, ai = p * acs;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector v = FloatVector.broadcast(S, a[a0 + ai]);
            x00 = v.fma(b0, x00); x01 = v.fma(b1, x01);
            v = FloatVector.broadcast(S, a[a1 + ai]);
            x10 = v.fma(b0, x10); x11 = v.fma(b1, x11);
            v = FloatVector.broadcast(S, a[a2 + ai]);
            x20 = v.fma(b0, x20); x21 = v.fma(b1, x21);
            v = FloatVector.broadcast(S, a[a3 + ai]);
            x30 = v.fma(b0, x30); x31 = v.fma(b1, x31);
        }
        x00.intoArray(c, c0); x01.intoArray(c, c0 + VL);
        if (rows > 1) { x10.intoArray(c, c1); x11.intoArray(c, c1 + VL); }
        if (rows > 2) { x20.intoArray(c, c2); x21.intoArray(c, c2 + VL); }
        if (rows > 3) { x30.intoArray(c, c3); x31.intoArray(c, c3 + VL); }
    }

    private static void direct4x1(int k, float[] a, int a0, int a1, int a2, int a3, int acs, float[] b, int bo, int ldb,
                                  float[] c, int c0, int c1, int c2, int c3, int rows, int mode, float[] bias, int bj) {
        FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
        if (mode == LOAD) {
            x0 = FloatVector.fromArray(S, c, c0);
            x1 = FloatVector.fromArray(S, c, c1);
            x2 = FloatVector.fromArray(S, c, c2);
            x3 = FloatVector.fromArray(S, c, c3);
        } else if (mode == BIAS) {
            x0 = x1 = x2 = x3 = FloatVector.fromArray(S, bias, bj);
        }
        for (int p = 0; p < k; p++) {
            int ai = p * acs;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * ldb);
            x0 = FloatVector.broadcast(S, a[a0 + ai]).fma(b0, x0);
            x1 = FloatVector.broadcast(S, a[a1 + ai]).fma(b0, x1);
            x2 = FloatVector.broadcast(S, a[a2 + ai]).fma(b0, x2);
            x3 = FloatVector.broadcast(S, a[a3 + ai]).fma(b0, x3);
        }
        x0.intoArray(c, c0);
        if (rows > 1) x1.intoArray(c, c1);
        if (rows > 2) x2.intoArray(c, c2);
        if (rows > 3) x3.intoArray(c, c3);
    }

    // ================================================================ micro-kernels (generated)

    /** 12×2·VL register tile: C = init + Σ_p a[p]·b[p] over packed panels (A: 12 floats per p, B: 2·VL floats per p). */
    static void kernel12x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mode, float[] bias, int bj) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S), c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S), c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S), c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S), c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S), c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S), c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S), c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S), c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S), c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S), c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S), c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        if (mode == LOAD) {
            c0_0 = FloatVector.fromArray(S, c, co);
            c0_1 = FloatVector.fromArray(S, c, co + 1 * VL);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc);
            c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * VL);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc);
            c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * VL);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc);
            c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * VL);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc);
            c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * VL);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc);
            c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * VL);
            c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc);
            c6_1 = FloatVector.fromArray(S, c, co + 6 * ldc + 1 * VL);
            c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc);
            c7_1 = FloatVector.fromArray(S, c, co + 7 * ldc + 1 * VL);
            c8_0 = FloatVector.fromArray(S, c, co + 8 * ldc);
            c8_1 = FloatVector.fromArray(S, c, co + 8 * ldc + 1 * VL);
            c9_0 = FloatVector.fromArray(S, c, co + 9 * ldc);
            c9_1 = FloatVector.fromArray(S, c, co + 9 * ldc + 1 * VL);
            c10_0 = FloatVector.fromArray(S, c, co + 10 * ldc);
            c10_1 = FloatVector.fromArray(S, c, co + 10 * ldc + 1 * VL);
            c11_0 = FloatVector.fromArray(S, c, co + 11 * ldc);
            c11_1 = FloatVector.fromArray(S, c, co + 11 * ldc + 1 * VL);
        } else if (mode == BIAS) {
            FloatVector q0 = FloatVector.fromArray(S, bias, bj);
            FloatVector q1 = FloatVector.fromArray(S, bias, bj + 1 * VL);
            c0_0 = q0; c0_1 = q1;
            c1_0 = q0; c1_1 = q1;
            c2_0 = q0; c2_1 = q1;
            c3_0 = q0; c3_1 = q1;
            c4_0 = q0; c4_1 = q1;
            c5_0 = q0; c5_1 = q1;
            c6_0 = q0; c6_1 = q1;
            c7_0 = q0; c7_1 = q1;
            c8_0 = q0; c8_1 = q1;
            c9_0 = q0; c9_1 = q1;
            c10_0 = q0; c10_1 = q1;
            c11_0 = q0; c11_1 = q1;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + 1 * VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + 8]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + 9]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + 10]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + 11]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            ao += 12;
            bo += 2 * VL;
        }
        c0_0.intoArray(c, co);
        c0_1.intoArray(c, co + 1 * VL);
        c1_0.intoArray(c, co + 1 * ldc);
        c1_1.intoArray(c, co + 1 * ldc + 1 * VL);
        c2_0.intoArray(c, co + 2 * ldc);
        c2_1.intoArray(c, co + 2 * ldc + 1 * VL);
        c3_0.intoArray(c, co + 3 * ldc);
        c3_1.intoArray(c, co + 3 * ldc + 1 * VL);
        c4_0.intoArray(c, co + 4 * ldc);
        c4_1.intoArray(c, co + 4 * ldc + 1 * VL);
        c5_0.intoArray(c, co + 5 * ldc);
        c5_1.intoArray(c, co + 5 * ldc + 1 * VL);
        c6_0.intoArray(c, co + 6 * ldc);
        c6_1.intoArray(c, co + 6 * ldc + 1 * VL);
        c7_0.intoArray(c, co + 7 * ldc);
        c7_1.intoArray(c, co + 7 * ldc + 1 * VL);
        c8_0.intoArray(c, co + 8 * ldc);
        c8_1.intoArray(c, co + 8 * ldc + 1 * VL);
        c9_0.intoArray(c, co + 9 * ldc);
        c9_1.intoArray(c, co + 9 * ldc + 1 * VL);
        c10_0.intoArray(c, co + 10 * ldc);
        c10_1.intoArray(c, co + 10 * ldc + 1 * VL);
        c11_0.intoArray(c, co + 11 * ldc);
        c11_1.intoArray(c, co + 11 * ldc + 1 * VL);
    }

    /**
     * 12×2·VL register tile with B read in place: {@code C = init + Σ_p a[p]·b[p]} over a packed A panel (12 floats
     * per p) and B rows {@code b[bo + p·ldb ..]}; init is C itself ({@link #LOAD}), zero or the row bias
     * {@code rowBias[bi + r]} ({@link #ROW_BIAS}). Same ascending-p FMA chain per element as the other kernels.
     */
    static void kernelB12x2(int kc, float[] ap, int ao, int as, float[] b, int bo, int ldb, float[] c, int co, int ldc, int mode, float[] rowBias, int bi) {
        FloatVector c0_0, c0_1;
        FloatVector c1_0, c1_1;
        FloatVector c2_0, c2_1;
        FloatVector c3_0, c3_1;
        FloatVector c4_0, c4_1;
        FloatVector c5_0, c5_1;
        FloatVector c6_0, c6_1;
        FloatVector c7_0, c7_1;
        FloatVector c8_0, c8_1;
        FloatVector c9_0, c9_1;
        FloatVector c10_0, c10_1;
        FloatVector c11_0, c11_1;
        if (mode == LOAD) {
            c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc); c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + VL);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc); c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + VL);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc); c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + VL);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc); c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + VL);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc); c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + VL);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc); c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + VL);
            c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc); c6_1 = FloatVector.fromArray(S, c, co + 6 * ldc + VL);
            c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc); c7_1 = FloatVector.fromArray(S, c, co + 7 * ldc + VL);
            c8_0 = FloatVector.fromArray(S, c, co + 8 * ldc); c8_1 = FloatVector.fromArray(S, c, co + 8 * ldc + VL);
            c9_0 = FloatVector.fromArray(S, c, co + 9 * ldc); c9_1 = FloatVector.fromArray(S, c, co + 9 * ldc + VL);
            c10_0 = FloatVector.fromArray(S, c, co + 10 * ldc); c10_1 = FloatVector.fromArray(S, c, co + 10 * ldc + VL);
            c11_0 = FloatVector.fromArray(S, c, co + 11 * ldc); c11_1 = FloatVector.fromArray(S, c, co + 11 * ldc + VL);
        } else if (mode == ROW_BIAS) {
            c0_0 = FloatVector.broadcast(S, rowBias[bi + 0]); c0_1 = c0_0;
            c1_0 = FloatVector.broadcast(S, rowBias[bi + 1]); c1_1 = c1_0;
            c2_0 = FloatVector.broadcast(S, rowBias[bi + 2]); c2_1 = c2_0;
            c3_0 = FloatVector.broadcast(S, rowBias[bi + 3]); c3_1 = c3_0;
            c4_0 = FloatVector.broadcast(S, rowBias[bi + 4]); c4_1 = c4_0;
            c5_0 = FloatVector.broadcast(S, rowBias[bi + 5]); c5_1 = c5_0;
            c6_0 = FloatVector.broadcast(S, rowBias[bi + 6]); c6_1 = c6_0;
            c7_0 = FloatVector.broadcast(S, rowBias[bi + 7]); c7_1 = c7_0;
            c8_0 = FloatVector.broadcast(S, rowBias[bi + 8]); c8_1 = c8_0;
            c9_0 = FloatVector.broadcast(S, rowBias[bi + 9]); c9_1 = c9_0;
            c10_0 = FloatVector.broadcast(S, rowBias[bi + 10]); c10_1 = c10_0;
            c11_0 = FloatVector.broadcast(S, rowBias[bi + 11]); c11_1 = c11_0;
        } else {
            c0_0 = FloatVector.zero(S); c0_1 = c0_0;
            c1_0 = FloatVector.zero(S); c1_1 = c1_0;
            c2_0 = FloatVector.zero(S); c2_1 = c2_0;
            c3_0 = FloatVector.zero(S); c3_1 = c3_0;
            c4_0 = FloatVector.zero(S); c4_1 = c4_0;
            c5_0 = FloatVector.zero(S); c5_1 = c5_0;
            c6_0 = FloatVector.zero(S); c6_1 = c6_0;
            c7_0 = FloatVector.zero(S); c7_1 = c7_0;
            c8_0 = FloatVector.zero(S); c8_1 = c8_0;
            c9_0 = FloatVector.zero(S); c9_1 = c9_0;
            c10_0 = FloatVector.zero(S); c10_1 = c10_0;
            c11_0 = FloatVector.zero(S); c11_1 = c11_0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + 0]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + 8]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + 9]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + 10]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + 11]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            ao += as;
            bo += ldb;
        }
        c0_0.intoArray(c, co + 0 * ldc); c0_1.intoArray(c, co + 0 * ldc + VL);
        c1_0.intoArray(c, co + 1 * ldc); c1_1.intoArray(c, co + 1 * ldc + VL);
        c2_0.intoArray(c, co + 2 * ldc); c2_1.intoArray(c, co + 2 * ldc + VL);
        c3_0.intoArray(c, co + 3 * ldc); c3_1.intoArray(c, co + 3 * ldc + VL);
        c4_0.intoArray(c, co + 4 * ldc); c4_1.intoArray(c, co + 4 * ldc + VL);
        c5_0.intoArray(c, co + 5 * ldc); c5_1.intoArray(c, co + 5 * ldc + VL);
        c6_0.intoArray(c, co + 6 * ldc); c6_1.intoArray(c, co + 6 * ldc + VL);
        c7_0.intoArray(c, co + 7 * ldc); c7_1.intoArray(c, co + 7 * ldc + VL);
        c8_0.intoArray(c, co + 8 * ldc); c8_1.intoArray(c, co + 8 * ldc + VL);
        c9_0.intoArray(c, co + 9 * ldc); c9_1.intoArray(c, co + 9 * ldc + VL);
        c10_0.intoArray(c, co + 10 * ldc); c10_1.intoArray(c, co + 10 * ldc + VL);
        c11_0.intoArray(c, co + 11 * ldc); c11_1.intoArray(c, co + 11 * ldc + VL);
    }

    /**
     * 12×2·VL tile of {@link #sgemmPackedATransScaled}: {@code t[to + r·ldt + j] = Σ_p P[p][i0 + r]·b[bo + p·ldb + j]}
     * (ascending p, FMAs from zero), P the packed k×m matrix: its element (p, i) is at {@code (p/12·12)·m + i·h + p%12}
     * in a panel of height h (12, or 4 for the last when the rows run out), so a step of p reads the tile's 12 floats
     * h apart. Rows i0 .. i0 + 11 must be inside the matrix.
     */
    static void kernelPT12x2(int m, int k, float[] pk, int i0, float[] b, int bo, int ldb, float[] t, int to, int ldt) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0_0 = zero, c0_1 = zero;
        FloatVector c1_0 = zero, c1_1 = zero;
        FloatVector c2_0 = zero, c2_1 = zero;
        FloatVector c3_0 = zero, c3_1 = zero;
        FloatVector c4_0 = zero, c4_1 = zero;
        FloatVector c5_0 = zero, c5_1 = zero;
        FloatVector c6_0 = zero, c6_1 = zero;
        FloatVector c7_0 = zero, c7_1 = zero;
        FloatVector c8_0 = zero, c8_1 = zero;
        FloatVector c9_0 = zero, c9_1 = zero;
        FloatVector c10_0 = zero, c10_1 = zero;
        FloatVector c11_0 = zero, c11_1 = zero;
        int full = k / 12 * 12;
        for (int q0 = 0; q0 < full; q0 += 12) {
            int ao = q0 * m + i0 * 12;
            for (int pp = 0; pp < 12; pp++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
                FloatVector a1 = FloatVector.broadcast(S, pk[ao + 12]);
                c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
                FloatVector a2 = FloatVector.broadcast(S, pk[ao + 24]);
                c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
                FloatVector a3 = FloatVector.broadcast(S, pk[ao + 36]);
                c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
                FloatVector a4 = FloatVector.broadcast(S, pk[ao + 48]);
                c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
                FloatVector a5 = FloatVector.broadcast(S, pk[ao + 60]);
                c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
                FloatVector a6 = FloatVector.broadcast(S, pk[ao + 72]);
                c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
                FloatVector a7 = FloatVector.broadcast(S, pk[ao + 84]);
                c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
                FloatVector a8 = FloatVector.broadcast(S, pk[ao + 96]);
                c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
                FloatVector a9 = FloatVector.broadcast(S, pk[ao + 108]);
                c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
                FloatVector a10 = FloatVector.broadcast(S, pk[ao + 120]);
                c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
                FloatVector a11 = FloatVector.broadcast(S, pk[ao + 132]);
                c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            }
        }
        if (full < k) {
            int h = panelHeight(k, full);
            int ao = full * m + i0 * h;
            for (int p = full; p < k; p++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
                FloatVector a1 = FloatVector.broadcast(S, pk[ao + h]);
                c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
                FloatVector a2 = FloatVector.broadcast(S, pk[ao + 2 * h]);
                c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
                FloatVector a3 = FloatVector.broadcast(S, pk[ao + 3 * h]);
                c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
                FloatVector a4 = FloatVector.broadcast(S, pk[ao + 4 * h]);
                c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
                FloatVector a5 = FloatVector.broadcast(S, pk[ao + 5 * h]);
                c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
                FloatVector a6 = FloatVector.broadcast(S, pk[ao + 6 * h]);
                c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
                FloatVector a7 = FloatVector.broadcast(S, pk[ao + 7 * h]);
                c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
                FloatVector a8 = FloatVector.broadcast(S, pk[ao + 8 * h]);
                c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
                FloatVector a9 = FloatVector.broadcast(S, pk[ao + 9 * h]);
                c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
                FloatVector a10 = FloatVector.broadcast(S, pk[ao + 10 * h]);
                c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
                FloatVector a11 = FloatVector.broadcast(S, pk[ao + 11 * h]);
                c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            }
        }
        c0_0.intoArray(t, to); c0_1.intoArray(t, to + VL);
        c1_0.intoArray(t, to + 1 * ldt); c1_1.intoArray(t, to + 1 * ldt + VL);
        c2_0.intoArray(t, to + 2 * ldt); c2_1.intoArray(t, to + 2 * ldt + VL);
        c3_0.intoArray(t, to + 3 * ldt); c3_1.intoArray(t, to + 3 * ldt + VL);
        c4_0.intoArray(t, to + 4 * ldt); c4_1.intoArray(t, to + 4 * ldt + VL);
        c5_0.intoArray(t, to + 5 * ldt); c5_1.intoArray(t, to + 5 * ldt + VL);
        c6_0.intoArray(t, to + 6 * ldt); c6_1.intoArray(t, to + 6 * ldt + VL);
        c7_0.intoArray(t, to + 7 * ldt); c7_1.intoArray(t, to + 7 * ldt + VL);
        c8_0.intoArray(t, to + 8 * ldt); c8_1.intoArray(t, to + 8 * ldt + VL);
        c9_0.intoArray(t, to + 9 * ldt); c9_1.intoArray(t, to + 9 * ldt + VL);
        c10_0.intoArray(t, to + 10 * ldt); c10_1.intoArray(t, to + 10 * ldt + VL);
        c11_0.intoArray(t, to + 11 * ldt); c11_1.intoArray(t, to + 11 * ldt + VL);
    }

    /** {@link #kernelPT12x2} for the 4 rows i0 .. i0 + 3 (the row tails of {@link #sgemmPackedATransScaled}). */
    static void kernelPT4x2(int m, int k, float[] pk, int i0, float[] b, int bo, int ldb, float[] t, int to, int ldt) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0_0 = zero, c0_1 = zero;
        FloatVector c1_0 = zero, c1_1 = zero;
        FloatVector c2_0 = zero, c2_1 = zero;
        FloatVector c3_0 = zero, c3_1 = zero;
        int full = k / 12 * 12;
        for (int q0 = 0; q0 < full; q0 += 12) {
            int ao = q0 * m + i0 * 12;
            for (int pp = 0; pp < 12; pp++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
                FloatVector a1 = FloatVector.broadcast(S, pk[ao + 12]);
                c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
                FloatVector a2 = FloatVector.broadcast(S, pk[ao + 24]);
                c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
                FloatVector a3 = FloatVector.broadcast(S, pk[ao + 36]);
                c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            }
        }
        if (full < k) {
            int h = panelHeight(k, full);
            int ao = full * m + i0 * h;
            for (int p = full; p < k; p++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
                FloatVector a1 = FloatVector.broadcast(S, pk[ao + h]);
                c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
                FloatVector a2 = FloatVector.broadcast(S, pk[ao + 2 * h]);
                c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
                FloatVector a3 = FloatVector.broadcast(S, pk[ao + 3 * h]);
                c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            }
        }
        c0_0.intoArray(t, to); c0_1.intoArray(t, to + VL);
        c1_0.intoArray(t, to + 1 * ldt); c1_1.intoArray(t, to + 1 * ldt + VL);
        c2_0.intoArray(t, to + 2 * ldt); c2_1.intoArray(t, to + 2 * ldt + VL);
        c3_0.intoArray(t, to + 3 * ldt); c3_1.intoArray(t, to + 3 * ldt + VL);
    }

    /** {@link #kernelPT12x2} for the single row i0 (the row tails of {@link #sgemmPackedATransScaled}). */
    static void kernelPT1x2(int m, int k, float[] pk, int i0, float[] b, int bo, int ldb, float[] t, int to, int ldt) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0_0 = zero, c0_1 = zero;
        int full = k / 12 * 12;
        for (int q0 = 0; q0 < full; q0 += 12) {
            int ao = q0 * m + i0 * 12;
            for (int pp = 0; pp < 12; pp++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            }
        }
        if (full < k) {
            int h = panelHeight(k, full);
            int ao = full * m + i0 * h;
            for (int p = full; p < k; p++, ao++, bo += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo);
                FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
                FloatVector a0 = FloatVector.broadcast(S, pk[ao]);
                c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            }
        }
        c0_0.intoArray(t, to); c0_1.intoArray(t, to + VL);
    }

    /**
     * 4×2·VL register tile with B read in place: {@code C = init + Σ_p a[p]·b[p]} over a packed A panel (4 floats
     * per p) and B rows {@code b[bo + p·ldb ..]}; init is C itself ({@link #LOAD}), zero or the row bias
     * {@code rowBias[bi + r]} ({@link #ROW_BIAS}). Same ascending-p FMA chain per element as the other kernels.
     */
    static void kernelB4x2(int kc, float[] ap, int ao, int as, float[] b, int bo, int ldb, float[] c, int co, int ldc, int mode, float[] rowBias, int bi) {
        FloatVector c0_0, c0_1;
        FloatVector c1_0, c1_1;
        FloatVector c2_0, c2_1;
        FloatVector c3_0, c3_1;
        if (mode == LOAD) {
            c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc); c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + VL);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc); c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + VL);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc); c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + VL);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc); c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + VL);
        } else if (mode == ROW_BIAS) {
            c0_0 = FloatVector.broadcast(S, rowBias[bi + 0]); c0_1 = c0_0;
            c1_0 = FloatVector.broadcast(S, rowBias[bi + 1]); c1_1 = c1_0;
            c2_0 = FloatVector.broadcast(S, rowBias[bi + 2]); c2_1 = c2_0;
            c3_0 = FloatVector.broadcast(S, rowBias[bi + 3]); c3_1 = c3_0;
        } else {
            c0_0 = FloatVector.zero(S); c0_1 = c0_0;
            c1_0 = FloatVector.zero(S); c1_1 = c1_0;
            c2_0 = FloatVector.zero(S); c2_1 = c2_0;
            c3_0 = FloatVector.zero(S); c3_1 = c3_0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + 0]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            ao += as;
            bo += ldb;
        }
        c0_0.intoArray(c, co + 0 * ldc); c0_1.intoArray(c, co + 0 * ldc + VL);
        c1_0.intoArray(c, co + 1 * ldc); c1_1.intoArray(c, co + 1 * ldc + VL);
        c2_0.intoArray(c, co + 2 * ldc); c2_1.intoArray(c, co + 2 * ldc + VL);
        c3_0.intoArray(c, co + 3 * ldc); c3_1.intoArray(c, co + 3 * ldc + VL);
    }

    /** 8×3·VL register tile: C = init + Σ_p a[p]·b[p] over packed panels (A: 8 floats per p, B: 3·VL floats per p). */
    static void kernel8x3(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mode, float[] bias, int bj) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S), c0_2 = FloatVector.zero(S), c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S), c1_2 = FloatVector.zero(S), c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S), c2_2 = FloatVector.zero(S), c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S), c3_2 = FloatVector.zero(S), c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S), c4_2 = FloatVector.zero(S), c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S), c5_2 = FloatVector.zero(S), c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S), c6_2 = FloatVector.zero(S), c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S), c7_2 = FloatVector.zero(S);
        if (mode == LOAD) {
            c0_0 = FloatVector.fromArray(S, c, co);
            c0_1 = FloatVector.fromArray(S, c, co + 1 * VL);
            c0_2 = FloatVector.fromArray(S, c, co + 2 * VL);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc);
            c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * VL);
            c1_2 = FloatVector.fromArray(S, c, co + 1 * ldc + 2 * VL);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc);
            c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * VL);
            c2_2 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * VL);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc);
            c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * VL);
            c3_2 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * VL);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc);
            c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * VL);
            c4_2 = FloatVector.fromArray(S, c, co + 4 * ldc + 2 * VL);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc);
            c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * VL);
            c5_2 = FloatVector.fromArray(S, c, co + 5 * ldc + 2 * VL);
            c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc);
            c6_1 = FloatVector.fromArray(S, c, co + 6 * ldc + 1 * VL);
            c6_2 = FloatVector.fromArray(S, c, co + 6 * ldc + 2 * VL);
            c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc);
            c7_1 = FloatVector.fromArray(S, c, co + 7 * ldc + 1 * VL);
            c7_2 = FloatVector.fromArray(S, c, co + 7 * ldc + 2 * VL);
        } else if (mode == BIAS) {
            FloatVector q0 = FloatVector.fromArray(S, bias, bj);
            FloatVector q1 = FloatVector.fromArray(S, bias, bj + 1 * VL);
            FloatVector q2 = FloatVector.fromArray(S, bias, bj + 2 * VL);
            c0_0 = q0; c0_1 = q1; c0_2 = q2;
            c1_0 = q0; c1_1 = q1; c1_2 = q2;
            c2_0 = q0; c2_1 = q1; c2_2 = q2;
            c3_0 = q0; c3_1 = q1; c3_2 = q2;
            c4_0 = q0; c4_1 = q1; c4_2 = q2;
            c5_0 = q0; c5_1 = q1; c5_2 = q2;
            c6_0 = q0; c6_1 = q1; c6_2 = q2;
            c7_0 = q0; c7_1 = q1; c7_2 = q2;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + 1 * VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1); c0_2 = a0.fma(b2, c0_2);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1); c1_2 = a1.fma(b2, c1_2);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1); c2_2 = a2.fma(b2, c2_2);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1); c3_2 = a3.fma(b2, c3_2);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1); c4_2 = a4.fma(b2, c4_2);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1); c5_2 = a5.fma(b2, c5_2);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1); c6_2 = a6.fma(b2, c6_2);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1); c7_2 = a7.fma(b2, c7_2);
            ao += 8;
            bo += 3 * VL;
        }
        c0_0.intoArray(c, co);
        c0_1.intoArray(c, co + 1 * VL);
        c0_2.intoArray(c, co + 2 * VL);
        c1_0.intoArray(c, co + 1 * ldc);
        c1_1.intoArray(c, co + 1 * ldc + 1 * VL);
        c1_2.intoArray(c, co + 1 * ldc + 2 * VL);
        c2_0.intoArray(c, co + 2 * ldc);
        c2_1.intoArray(c, co + 2 * ldc + 1 * VL);
        c2_2.intoArray(c, co + 2 * ldc + 2 * VL);
        c3_0.intoArray(c, co + 3 * ldc);
        c3_1.intoArray(c, co + 3 * ldc + 1 * VL);
        c3_2.intoArray(c, co + 3 * ldc + 2 * VL);
        c4_0.intoArray(c, co + 4 * ldc);
        c4_1.intoArray(c, co + 4 * ldc + 1 * VL);
        c4_2.intoArray(c, co + 4 * ldc + 2 * VL);
        c5_0.intoArray(c, co + 5 * ldc);
        c5_1.intoArray(c, co + 5 * ldc + 1 * VL);
        c5_2.intoArray(c, co + 5 * ldc + 2 * VL);
        c6_0.intoArray(c, co + 6 * ldc);
        c6_1.intoArray(c, co + 6 * ldc + 1 * VL);
        c6_2.intoArray(c, co + 6 * ldc + 2 * VL);
        c7_0.intoArray(c, co + 7 * ldc);
        c7_1.intoArray(c, co + 7 * ldc + 1 * VL);
        c7_2.intoArray(c, co + 7 * ldc + 2 * VL);
    }

    /** 6×4·VL register tile: C = init + Σ_p a[p]·b[p] over packed panels (A: 6 floats per p, B: 4·VL floats per p). */
    static void kernel6x4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mode, float[] bias, int bj) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S), c0_2 = FloatVector.zero(S), c0_3 = FloatVector.zero(S), c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S), c1_2 = FloatVector.zero(S), c1_3 = FloatVector.zero(S), c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S), c2_2 = FloatVector.zero(S), c2_3 = FloatVector.zero(S), c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S), c3_2 = FloatVector.zero(S), c3_3 = FloatVector.zero(S), c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S), c4_2 = FloatVector.zero(S), c4_3 = FloatVector.zero(S), c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S), c5_2 = FloatVector.zero(S), c5_3 = FloatVector.zero(S);
        if (mode == LOAD) {
            c0_0 = FloatVector.fromArray(S, c, co);
            c0_1 = FloatVector.fromArray(S, c, co + 1 * VL);
            c0_2 = FloatVector.fromArray(S, c, co + 2 * VL);
            c0_3 = FloatVector.fromArray(S, c, co + 3 * VL);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc);
            c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * VL);
            c1_2 = FloatVector.fromArray(S, c, co + 1 * ldc + 2 * VL);
            c1_3 = FloatVector.fromArray(S, c, co + 1 * ldc + 3 * VL);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc);
            c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * VL);
            c2_2 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * VL);
            c2_3 = FloatVector.fromArray(S, c, co + 2 * ldc + 3 * VL);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc);
            c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * VL);
            c3_2 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * VL);
            c3_3 = FloatVector.fromArray(S, c, co + 3 * ldc + 3 * VL);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc);
            c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * VL);
            c4_2 = FloatVector.fromArray(S, c, co + 4 * ldc + 2 * VL);
            c4_3 = FloatVector.fromArray(S, c, co + 4 * ldc + 3 * VL);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc);
            c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * VL);
            c5_2 = FloatVector.fromArray(S, c, co + 5 * ldc + 2 * VL);
            c5_3 = FloatVector.fromArray(S, c, co + 5 * ldc + 3 * VL);
        } else if (mode == BIAS) {
            FloatVector q0 = FloatVector.fromArray(S, bias, bj);
            FloatVector q1 = FloatVector.fromArray(S, bias, bj + 1 * VL);
            FloatVector q2 = FloatVector.fromArray(S, bias, bj + 2 * VL);
            FloatVector q3 = FloatVector.fromArray(S, bias, bj + 3 * VL);
            c0_0 = q0; c0_1 = q1; c0_2 = q2; c0_3 = q3;
            c1_0 = q0; c1_1 = q1; c1_2 = q2; c1_3 = q3;
            c2_0 = q0; c2_1 = q1; c2_2 = q2; c2_3 = q3;
            c3_0 = q0; c3_1 = q1; c3_2 = q2; c3_3 = q3;
            c4_0 = q0; c4_1 = q1; c4_2 = q2; c4_3 = q3;
            c5_0 = q0; c5_1 = q1; c5_2 = q2; c5_3 = q3;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + 1 * VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1); c0_2 = a0.fma(b2, c0_2); c0_3 = a0.fma(b3, c0_3);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1); c1_2 = a1.fma(b2, c1_2); c1_3 = a1.fma(b3, c1_3);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1); c2_2 = a2.fma(b2, c2_2); c2_3 = a2.fma(b3, c2_3);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1); c3_2 = a3.fma(b2, c3_2); c3_3 = a3.fma(b3, c3_3);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1); c4_2 = a4.fma(b2, c4_2); c4_3 = a4.fma(b3, c4_3);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1); c5_2 = a5.fma(b2, c5_2); c5_3 = a5.fma(b3, c5_3);
            ao += 6;
            bo += 4 * VL;
        }
        c0_0.intoArray(c, co);
        c0_1.intoArray(c, co + 1 * VL);
        c0_2.intoArray(c, co + 2 * VL);
        c0_3.intoArray(c, co + 3 * VL);
        c1_0.intoArray(c, co + 1 * ldc);
        c1_1.intoArray(c, co + 1 * ldc + 1 * VL);
        c1_2.intoArray(c, co + 1 * ldc + 2 * VL);
        c1_3.intoArray(c, co + 1 * ldc + 3 * VL);
        c2_0.intoArray(c, co + 2 * ldc);
        c2_1.intoArray(c, co + 2 * ldc + 1 * VL);
        c2_2.intoArray(c, co + 2 * ldc + 2 * VL);
        c2_3.intoArray(c, co + 2 * ldc + 3 * VL);
        c3_0.intoArray(c, co + 3 * ldc);
        c3_1.intoArray(c, co + 3 * ldc + 1 * VL);
        c3_2.intoArray(c, co + 3 * ldc + 2 * VL);
        c3_3.intoArray(c, co + 3 * ldc + 3 * VL);
        c4_0.intoArray(c, co + 4 * ldc);
        c4_1.intoArray(c, co + 4 * ldc + 1 * VL);
        c4_2.intoArray(c, co + 4 * ldc + 2 * VL);
        c4_3.intoArray(c, co + 4 * ldc + 3 * VL);
        c5_0.intoArray(c, co + 5 * ldc);
        c5_1.intoArray(c, co + 5 * ldc + 1 * VL);
        c5_2.intoArray(c, co + 5 * ldc + 2 * VL);
        c5_3.intoArray(c, co + 5 * ldc + 3 * VL);
    }

    // ================================================================ activations

    static void epilogue(Activation act, float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        VectorActivations.apply(act, c, co, out, oo, n, deriv);
    }

    @Override
    public void activationForward(Activation act, float[] z, float[] out, int n) {
        VectorActivations.apply(act, z, 0, out, 0, n, false);
    }

    @Override
    public void activationBackward(Activation act, float[] z, float[] gradOut, float[] gradIn, int n) {
        VectorActivations.backward(act, z, gradOut, gradIn, n);
    }

    @Override
    public void multiplyInPlace(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        int ub = S.loopBound(n);
        for (; i < ub; i += VL) {
            FloatVector.fromArray(S, y, yOff + i).mul(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] *= x[xOff + i];
    }

    // ================================================================ vector ops

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        ScalarBackend.dgemmImpl(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(out, 0, cols, 0f);
        int ub = S.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            int xi = i * cols;
            int j = 0;
            for (; j < ub; j += VL) {
                FloatVector.fromArray(S, out, j).add(FloatVector.fromArray(S, x, xi + j)).intoArray(out, j);
            }
            for (; j < cols; j++) out[j] += x[xi + j];
        }
    }

    @Override
    public void adamUpdate(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float b1, float b2,
                           float bc1, float bc2, float eps, float wd) {
        float c1 = 1f - b1, c2 = 1f - b2;
        // one division per element: the bias corrections are folded into multipliers
        float step = lr / bc1, ibc2 = 1f / bc2, decay = lr * wd;
        int i = off;
        int end = off + n;
        int ub = off + S.loopBound(n);
        for (; i < ub; i += VL) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(gi).mul(c2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.mul(ibc2).lanewise(VectorOperators.SQRT).add(eps);
            FloatVector pi = FloatVector.fromArray(S, p, i);
            pi.sub(mi.mul(step).div(denom).add(pi.mul(decay))).intoArray(p, i);
        }
        for (; i < end; i++) {
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
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return dotKernel(a, aOff, b, bOff, n);
    }

    @Override
    public void dotRows(int m, int nb, int n, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] out,
                        int outOff, int ldoI, int ldoJ) {
        ScalarBackend.checkDotRows(m, nb, n, a.length, aOff, lda, b.length, bOff, ldb, out.length, outOff, ldoI, ldoJ);
        if (m == 0 || nb == 0) return;
        float[] lanes = DOT_LANES.get();
        int nv = n - n % VL;
        // four rows of a against every row of b before the next four: those rows are read from memory once and
        // from L1 for the other rows of b (a narrow layer's gradient reads a 256×128 block once instead of nb times)
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * lda;
            for (int j = 0; j < nb; j++) {
                int bo = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < nv; p += VL) {
                    FloatVector bv = FloatVector.fromArray(S, b, bo + p);
                    s0 = FloatVector.fromArray(S, a, a0 + p).fma(bv, s0);
                    s1 = FloatVector.fromArray(S, a, a0 + lda + p).fma(bv, s1);
                    s2 = FloatVector.fromArray(S, a, a0 + 2 * lda + p).fma(bv, s2);
                    s3 = FloatVector.fromArray(S, a, a0 + 3 * lda + p).fma(bv, s3);
                }
                int o = outOff + i * ldoI + j * ldoJ;
                if (VL == 16) {
                    // finishDot's tree in registers: lane l plus lane l + 8, then + 4, + 2, + 1 (the same sums in the
                    // same order, so the same bits); spelt out, as a helper taking a vector is not always inlined, and
                    // then every call boxes its argument
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN8));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN4));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN2));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN1));
                    s1 = s1.add(s1.rearrange(VectorTranspose.DN8));
                    s1 = s1.add(s1.rearrange(VectorTranspose.DN4));
                    s1 = s1.add(s1.rearrange(VectorTranspose.DN2));
                    s1 = s1.add(s1.rearrange(VectorTranspose.DN1));
                    s2 = s2.add(s2.rearrange(VectorTranspose.DN8));
                    s2 = s2.add(s2.rearrange(VectorTranspose.DN4));
                    s2 = s2.add(s2.rearrange(VectorTranspose.DN2));
                    s2 = s2.add(s2.rearrange(VectorTranspose.DN1));
                    s3 = s3.add(s3.rearrange(VectorTranspose.DN8));
                    s3 = s3.add(s3.rearrange(VectorTranspose.DN4));
                    s3 = s3.add(s3.rearrange(VectorTranspose.DN2));
                    s3 = s3.add(s3.rearrange(VectorTranspose.DN1));
                    out[o] = withTail(s0.lane(0), a, a0, b, bo, nv, n);
                    out[o + ldoI] = withTail(s1.lane(0), a, a0 + lda, b, bo, nv, n);
                    out[o + 2 * ldoI] = withTail(s2.lane(0), a, a0 + 2 * lda, b, bo, nv, n);
                    out[o + 3 * ldoI] = withTail(s3.lane(0), a, a0 + 3 * lda, b, bo, nv, n);
                } else {
                    s0.intoArray(lanes, 0);
                    s1.intoArray(lanes, VL);
                    s2.intoArray(lanes, 2 * VL);
                    s3.intoArray(lanes, 3 * VL);
                    for (int r = 0; r < 4; r++) {
                        out[o + r * ldoI] = finishDot(lanes, r * VL, a, a0 + r * lda, b, bo, nv, n);
                    }
                }
            }
        }
        // the last rows one at a time, through the same accumulation as a row of a group of four
        for (; i < m; i++) {
            int a0 = aOff + i * lda;
            for (int j = 0; j < nb; j++) {
                int bo = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(S);
                for (int p = 0; p < nv; p += VL) {
                    s0 = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, bo + p), s0);
                }
                int o = outOff + i * ldoI + j * ldoJ;
                if (VL == 16) {
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN8));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN4));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN2));
                    s0 = s0.add(s0.rearrange(VectorTranspose.DN1));
                    out[o] = withTail(s0.lane(0), a, a0, b, bo, nv, n);
                } else {
                    s0.intoArray(lanes, 0);
                    out[o] = finishDot(lanes, 0, a, a0, b, bo, nv, n);
                }
            }
        }
    }

    /** {@code s} plus the products past the last whole vector, one by one, as {@link #finishDot} adds them. */
    private static float withTail(float s, float[] a, int ao, float[] b, int bo, int from, int n) {
        for (int p = from; p < n; p++) s += a[ao + p] * b[bo + p];
        return s;
    }

    /**
     * Sums the VL lanes at {@code lanes[l0..]} pairwise (lane l with lane l + VL/2, then l + VL/4, …: a fixed tree, four
     * adds deep for 16 lanes), then the tail. For 16 lanes the tree is spelt out in locals: the same sums, without
     * the chain of stores and reloads a loop over the array makes.
     */
    private static float finishDot(float[] lanes, int l0, float[] a, int ao, float[] b, int bo, int from, int n) {
        float s;
        if (VL == 16) {
            float a0 = lanes[l0] + lanes[l0 + 8], a1 = lanes[l0 + 1] + lanes[l0 + 9];
            float a2 = lanes[l0 + 2] + lanes[l0 + 10], a3 = lanes[l0 + 3] + lanes[l0 + 11];
            float a4 = lanes[l0 + 4] + lanes[l0 + 12], a5 = lanes[l0 + 5] + lanes[l0 + 13];
            float a6 = lanes[l0 + 6] + lanes[l0 + 14], a7 = lanes[l0 + 7] + lanes[l0 + 15];
            s = ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7));
        } else {
            for (int w = VL / 2; w >= 1; w /= 2) {
                for (int l = 0; l < w; l++) lanes[l0 + l] += lanes[l0 + l + w];
            }
            s = lanes[l0];
        }
        for (int p = from; p < n; p++) s += a[ao + p] * b[bo + p];
        return s;
    }

    private static final ThreadLocal<float[]> DOT_LANES = ThreadLocal.withInitial(() -> new float[4 * VL]);

    static float dotKernel(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + VL).fma(FloatVector.fromArray(S, b, bOff + i + VL), s1);
        }
        // lanes summed in a fixed order: reduceLanes(ADD) may add them in another order once compiled than when
        // interpreted, and the same call must give the same bits whenever it runs
        float[] lanes = LANES.get();
        s0.add(s1).intoArray(lanes, 0);
        float s = 0;
        for (int l = 0; l < VL; l++) s += lanes[l];
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        int ub = S.loopBound(n);
        for (; i < ub; i += VL) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        return (float) ScalarBackend.sumSq(x, off, n);
    }
}
