package org.flowmatch4j.kernels;

/**
 * The numerical kernels behind the tensor and optimizer layers. Two implementations exist:
 * {@code "vector"} (jdk.incubator.vector, register-tiled and packed GEMM) and {@code "scalar"}
 * (plain Java). Obtain one from {@link Kernels}.
 *
 * <p>Matrices are row-major with explicit offsets and leading dimensions. All GEMMs split their
 * work over {@link Parallel#threads()} along M/N blocks only (never K), so results are bit-identical
 * for any thread count, and they allocate nothing per call in steady state.
 */
public interface KernelBackend {
    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * {@code C[m×n] = op(A)·op(B)} (plus the old C when {@code accumulate}). {@code op(A)} is A
     * ({@code m×k}, element (i,p) at {@code a[aOff + i*lda + p]}) or, when {@code transA}, Aᵀ with
     * A stored {@code k×m} ({@code a[aOff + p*lda + i]}); {@code op(B)} is B ({@code k×n},
     * {@code b[bOff + p*ldb + j]}) or, when {@code transB}, Bᵀ with B stored {@code n×k}
     * ({@code b[bOff + j*ldb + p]}). C element (i,j) is {@code c[cOff + i*ldc + j]}.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc);

    /**
     * Floats that {@link #packA} writes for an {@code m×k} matrix (a little more than {@code m·k}: panels are
     * padded with zero rows).
     */
    int packedASize(int m, int k);

    /**
     * Packs {@code op(A)} ({@code m×k}: A row-major with leading dimension lda, or, when {@code transA}, Aᵀ with A
     * stored {@code k×m}) into the panel layout {@link #sgemmPackedA} reads; {@code dst} holds
     * {@link #packedASize} floats. Meant for weights, packed once and used for many products.
     */
    default void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst) {
        packA(transA, m, k, a, aOff, lda, dst, 0, m, 0, k);
    }

    /**
     * The block rows {@code [i0, i1)} × columns {@code [p0, p1)} of {@code op(A)} of
     * {@link #packA(boolean, int, int, float[], int, int, float[])}: writes exactly the packed floats of those
     * elements (and, when the block holds row m−1, the zero padding of its columns), so threads can pack disjoint
     * blocks of one matrix at the same time, each the rows or columns it has just written.
     *
     * @throws IllegalArgumentException if the block is not inside the matrix or dst is too small
     */
    void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst, int i0, int i1, int p0, int p1);

    /**
     * {@code C[m×n] = init + P·B}, P an {@code m×k} matrix packed by {@link #packA}, B row-major {@code k×n}
     * ({@code b[bOff + p·ldb + j]}) read in place, so a product costs no copy of its large operand. {@code init} is the
     * old C when {@code accumulate}, else {@code rowBias[i]} along row i (zero when rowBias is null). When act is not
     * null, {@code out[outOff + i·ldo + j] = act(C[i,j])} and, with {@code deriv}, C[i,j] is replaced by
     * {@code act'(C[i,j])} ({@code out} may be C itself only without {@code deriv}). Each element is its init followed
     * by fused multiply-adds in ascending p, like {@link #sgemm}. Runs on the calling thread (callers split N).
     */
    void sgemmPackedA(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, boolean accumulate,
                      float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                      boolean deriv);

    /**
     * {@link #sgemmPackedA} with {@code P = Aᵀ}, A stored {@code k×m} ({@code a[aOff + p·lda + i]}) and read in place:
     * a panel of Aᵀ is a run of consecutive floats in each row of A, so no packed copy is needed (the backward
     * product of a layer, {@code g = Wᵀ·dz}, reads W as it is). Same results, bit for bit, as packing Aᵀ first.
     */
    void sgemmTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate,
                     float[] rowBias, float[] c, int cOff, int ldc, Activation act, float[] out, int outOff, int ldo,
                     boolean deriv);

    /**
     * {@code C ← C ⊙ (Aᵀ·B)}, A stored {@code k×m} and read in place as in {@link #sgemmTransA}: the backward step of a
     * layer, {@code g ⊙ act'(z)} with {@code g = Wᵀ·dz}, written over the {@code act'(z)} kept by the forward pass, so
     * the product needs no buffer of its own and no second pass. Each element is its product (ascending-p FMAs from
     * zero) times the old C.
     */
    void sgemmTransAScaled(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
                           int cOff, int ldc);

    /**
     * {@code C ← C ⊙ (Pᵀ·B)}, P a {@code k×m} matrix packed by {@code packA(false, k, m, …)} for {@link #sgemmPackedA}:
     * the backward step of a layer, {@code g ⊙ act'(z)} with {@code g = Wᵀ·dz}, from the weights the forward product
     * reads, so a training step keeps one derived copy of W instead of two. Each element is its product (ascending-p
     * FMAs from zero) times the old C, bit for bit what {@link #sgemmTransAScaled} gives on the unpacked matrix.
     *
     * @throws IllegalArgumentException if {@code packed} holds fewer than {@code packedASize(k, m)} floats, or as
     *                                  {@link #sgemmPackedA}
     */
    void sgemmPackedATransScaled(int m, int n, int k, float[] packed, float[] b, int bOff, int ldb, float[] c, int cOff,
                                 int ldc);

    /** Double-precision version of {@link #sgemm}. */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
               double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc);

    /**
     * Fused Linear forward: {@code z = op(A)·op(B) + bias} (bias of length n broadcast over rows,
     * may be null) and {@code out = act(z)}; both {@code m×n} with leading dimension {@code ldc}
     * and offset 0. {@code z} may be null when the pre-activation is not needed; {@code out} may
     * be the same array as {@code z}.
     */
    void sgemmBiasAct(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] bias, Activation act, float[] z, float[] out, int ldc);

    /** {@code gradIn[i] = gradOut[i] · act'(z[i])} for {@code i < n}; gradIn may alias gradOut. */
    /**
     * Fused Linear forward for training: like {@link #sgemmBiasAct} but {@code deriv} receives
     * {@code act'(z)} instead of z, computed with the activation from shared intermediates, so that the
     * backward pass is one multiply ({@code dz = g ⊙ deriv}, see {@link #multiplyInPlace}). {@code out}
     * must not alias {@code deriv}.
     */
    void sgemmBiasActDerivative(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] bias, Activation act, float[] deriv, float[] out, int ldc);

    /** {@code y[yOff+i] *= x[xOff+i]} for i &lt; n. */
    void multiplyInPlace(float[] y, int yOff, float[] x, int xOff, int n);

    void activationBackward(Activation act, float[] z, float[] gradOut, float[] gradIn, int n);

    /**
     * {@code out[j] (+)= Σ_i x[i*cols + j]}: column sums of a {@code rows×cols} matrix (e.g. a bias
     * gradient), summed in row order.
     */
    void columnSums(float[] x, int rows, int cols, float[] out, boolean accumulate);

    /**
     * One Adam/AdamW step on {@code p[off..off+n)}, in place, in float32:
     * {@code m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²;
     * p -= (lr/bc1)·m / (sqrt(v·(1/bc2)) + eps) + (lr·wd)·p}, with the bias corrections
     * {@code bc1 = 1-b1^t}, {@code bc2 = 1-b2^t} precomputed and {@code wd} the decoupled weight
     * decay (0 for Adam).
     */
    void adamUpdate(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float b1, float b2,
                    float bc1, float bc2, float eps, float wd);

    /** {@code Σ_i a[aOff+i]·b[bOff+i]}, i &lt; n, summed in a fixed order (the same bits on every call). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * The dot products of the rows of an {@code m×n} matrix A with those of an {@code nb×n} matrix B (the product
     * {@code A·Bᵀ}): {@code out[outOff + i·ldoI + j·ldoJ] = Σ_{p<n} a[aOff + i·lda + p]·b[bOff + j·ldb + p]} for
     * {@code i < m}, {@code j < nb}. For products too narrow for a GEMM, such as a bias gradient (B one row of
     * ones) or the weight gradient of a layer with two or three inputs or outputs: rows of A go four at a time
     * against one row of B. Each dot is summed in a fixed order, the same whatever m, nb and the offsets.
     *
     * @throws IndexOutOfBoundsException if an operand is too small, naming it
     */
    void dotRows(int m, int nb, int n, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] out, int outOff,
                 int ldoI, int ldoJ);

    /** {@code y[yOff+i] += alpha·x[xOff+i]}, i &lt; n. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code Σ_i x[off+i]²}, accumulated in double. */
    float sumOfSquares(float[] x, int off, int n);

    /** {@code out[i] = act(z[i])} for {@code i < n} (out may alias z). */
    default void activationForward(Activation act, float[] z, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) act.apply(z[i]);
    }
}
