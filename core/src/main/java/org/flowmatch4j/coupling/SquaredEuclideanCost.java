package org.flowmatch4j.coupling;

import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * The squared Euclidean cost matrix {@code C_ij = ||x0_i − x1_j||² = Σ_k (x0_ik − x1_jk)²} between the
 * rows of two batches, computed in float64.
 *
 * <p>For small dimensions the differences are summed directly in float64 (exact zeros for duplicate points);
 * from {@value #GEMM_MIN_DIM} dimensions on it uses {@code ||a||² + ||b||² − 2 a·b} (clamped at 0, since
 * cancellation can leave tiny negatives) with the norms in float64 and the dot products from one GEMM: the
 * vectorised float32 GEMM when both inputs are float32 (so those costs carry float32 rounding of the dot
 * products, which only matters for near-ties), the float64 GEMM otherwise. That is what makes image-sized
 * batches cheap. Work buffers are kept per instance and grow on demand; an instance is not thread-safe.
 */
public final class SquaredEuclideanCost {
    /** Dimension from which the GEMM formulation is used. */
    static final int GEMM_MIN_DIM = 8;

    private double[] a = new double[0];
    private double[] b = new double[0];
    private double[] bt = new double[0];
    private double[] normA = new double[0];
    private double[] normB = new double[0];
    private float[] cross = new float[0];

    /**
     * Writes {@code C_ij} for {@code i < n, j < m} into {@code out[i*ld + j]} and returns {@code Σ_ij C_ij}.
     *
     * @throws IllegalArgumentException if the shapes do not match, the inputs hold non-finite values, the
     *                                  costs overflow, or {@code out} is too small
     */
    public double compute(Tensor x0, Tensor x1, double[] out, int ld) {
        checkPair(x0, x1);
        int n = x0.size(0);
        int m = x1.size(0);
        int d = x0.size(1);
        if (ld < m || (n > 0 && out.length < (long) (n - 1) * ld + m)) {
            throw new IllegalArgumentException("cost buffer of length " + out.length + " with leading dimension " + ld
                    + " cannot hold a " + n + "x" + m + " cost matrix");
        }
        if (a.length < n * d) a = new double[n * d];
        if (b.length < m * d) b = new double[m * d];
        copyFinite(x0, a, "x0");
        copyFinite(x1, b, "x1");
        double total = 0;
        if (d >= GEMM_MIN_DIM && n > 1 && m > 1) {
            if (normA.length < n) normA = new double[n];
            if (normB.length < m) normB = new double[m];
            rowNorms(a, n, d, normA);
            rowNorms(b, m, d, normB);
            boolean single = x0.dtype() == DType.FLOAT32 && x1.dtype() == DType.FLOAT32;
            if (single) {
                // float32 data: the vectorised sgemm is ~50x faster than the scalar dgemm at image sizes; the dot
                // products then carry float32 rounding (relative ~1e-7·d·|a||b|), norms stay float64
                if (cross.length < n * m) cross = new float[n * m];
                Kernels.get().sgemm(false, true, n, m, d, x0.floatData(), 0, d, x1.floatData(), 0, d, false, cross, 0, m);
            } else {
                Kernels.get().dgemm(false, true, n, m, d, a, 0, d, b, 0, d, false, out, 0, ld);
            }
            for (int i = 0; i < n; i++) {
                int row = i * ld;
                double ni = normA[i];
                for (int j = 0; j < m; j++) {
                    double dot = single ? cross[i * m + j] : out[row + j];
                    double c = Math.max(0.0, ni + normB[j] - 2.0 * dot);
                    out[row + j] = c;
                    total += c;
                }
            }
        } else {
            // x1 transposed, so each coordinate's differences run over contiguous columns (the JIT vectorises them);
            // the per-entry sum still adds coordinates in order k = 0, 1, …, the same bits as a direct loop
            if (bt.length < m * d) bt = new double[m * d];
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    bt[k * m + j] = b[j * d + k];
                }
            }
            for (int i = 0; i < n; i++) {
                int row = i * ld;
                int ai = i * d;
                if (d == 0) {
                    java.util.Arrays.fill(out, row, row + m, 0.0);
                    continue;
                }
                double a0 = a[ai];
                for (int j = 0; j < m; j++) {
                    double diff = a0 - bt[j];
                    out[row + j] = diff * diff;
                }
                for (int k = 1; k < d; k++) {
                    double ak = a[ai + k];
                    int off = k * m;
                    for (int j = 0; j < m; j++) {
                        double diff = ak - bt[off + j];
                        out[row + j] += diff * diff;
                    }
                }
                // four partial sums: a single running sum is a chain of dependent adds, slower than the costs
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j + 3 < m; j += 4) {
                    s0 += out[row + j];
                    s1 += out[row + j + 1];
                    s2 += out[row + j + 2];
                    s3 += out[row + j + 3];
                }
                for (; j < m; j++) {
                    s0 += out[row + j];
                }
                total += (s0 + s1) + (s2 + s3);
            }
        }
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("squared distances between x0 " + shape(x0) + " and x1 " + shape(x1)
                    + " overflow float64 (sum " + total + "); rescale the data");
        }
        return total;
    }

    /** {@code ||x0[i] − x1[j]||²} in double, for rank-2 tensors of row length {@code d}. */
    public static double between(Tensor x0, int i, Tensor x1, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double diff = x0.getDouble(i * d + k) - x1.getDouble(j * d + k);
            s += diff * diff;
        }
        return s;
    }

    /**
     * Checks that {@code x0} and {@code x1} are rank-2 tensors with the same row length.
     *
     * @throws IllegalArgumentException naming both shapes otherwise
     */
    public static void checkPair(Tensor x0, Tensor x1) {
        if (x0 == null || x1 == null) {
            throw new IllegalArgumentException("coupling inputs must be non-null (x0 " + (x0 == null ? "null" : shape(x0))
                    + ", x1 " + (x1 == null ? "null" : shape(x1)) + ")");
        }
        if (x0.rank() != 2 || x1.rank() != 2) {
            throw new IllegalArgumentException("coupling expects x0 [n, d] and x1 [m, d], got x0 " + shape(x0)
                    + " and x1 " + shape(x1));
        }
        if (x0.size(1) != x1.size(1)) {
            throw new IllegalArgumentException("coupling: x0 " + shape(x0) + " and x1 " + shape(x1)
                    + " differ in dimension (" + x0.size(1) + " vs " + x1.size(1) + ")");
        }
    }

    static String shape(Tensor t) {
        return java.util.Arrays.toString(t.shape());
    }

    private static void copyFinite(Tensor x, double[] dst, String name) {
        int len = x.numel();
        boolean finite = true;
        if (x.dtype() == DType.FLOAT32) {
            float[] src = x.floatData();
            for (int i = 0; i < len; i++) {
                float v = src[i];
                finite &= Float.isFinite(v);
                dst[i] = v;
            }
        } else {
            double[] src = x.doubleData();
            for (int i = 0; i < len; i++) {
                double v = src[i];
                finite &= Double.isFinite(v);
                dst[i] = v;
            }
        }
        if (!finite) {
            throw new IllegalArgumentException("coupling: " + name + " " + shape(x) + " contains NaN or infinite values");
        }
    }

    private static void rowNorms(double[] x, int rows, int d, double[] out) {
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double v = x[i * d + k];
                s += v * v;
            }
            out[i] = s;
        }
    }
}
