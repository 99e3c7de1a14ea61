package org.flowmatch4j.eval;

import java.util.Arrays;

import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.Rng;

/**
 * Squared maximum mean discrepancy between two point clouds with the Gaussian kernel
 * {@code k(a, b) = exp(−||a − b||² / (2h²))}, as the biased V-statistic
 * <pre>
 *   MMD²_b = (1/n²) Σ_ij k(x_i, x_j) + (1/m²) Σ_ij k(y_i, y_j) − (2/nm) Σ_ij k(x_i, y_j)
 *          = || (1/n) Σ_i φ(x_i) − (1/m) Σ_j φ(y_j) ||²   (in the kernel's feature space).
 * </pre>
 * The V-statistic is chosen over the unbiased U-statistic because it is never negative and is exactly 0 for
 * identical sets; its bias for two samples of the same distribution is
 * {@code (1 − E k(x, x'))·(1/n + 1/m)}, at most {@code 1/n + 1/m}.
 *
 * <p>Bandwidth by the median heuristic: h is the median of the pairwise distances {@code ||a − b||}, a ≠ b by
 * index, in the pooled set {x} ∪ {y} — over at most {@value #MEDIAN_POINTS} pooled points, drawn without
 * replacement from the given {@link Rng} when there are more (none drawn otherwise). If that median is 0 (all
 * points equal) h = 1.
 *
 * <p>Cost {@code O((n + m)²·d)}; sums are float64, split into a fixed number of row chunks whose partial sums
 * are added in order, so the result does not depend on the thread count.
 */
public final class Mmd {
    /** Pooled points used at most for the median-distance bandwidth. */
    public static final int MEDIAN_POINTS = 1000;
    private static final int CHUNKS = 16;

    private Mmd() {
    }

    /** MMD²_b with the median-heuristic bandwidth of the pooled set (see the class notes). */
    public static MmdResult rbfMedian(float[] x, int nx, float[] y, int ny, int d, Rng rng) {
        PointSets.check("x", x, nx, d);
        PointSets.check("y", y, ny, d);
        return rbf(x, nx, y, ny, d, medianBandwidth(x, nx, y, ny, d, rng));
    }

    /** MMD²_b with a given bandwidth {@code h > 0}. */
    public static MmdResult rbf(float[] x, int nx, float[] y, int ny, int d, double bandwidth) {
        PointSets.check("x", x, nx, d);
        PointSets.check("y", y, ny, d);
        if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
            throw new IllegalArgumentException("MMD bandwidth must be positive and finite, got " + bandwidth);
        }
        double gamma = 1.0 / (2 * bandwidth * bandwidth);
        double kxx = kernelSum(x, nx, x, nx, d, gamma, true) / ((double) nx * nx);
        double kyy = kernelSum(y, ny, y, ny, d, gamma, true) / ((double) ny * ny);
        double kxy = kernelSum(x, nx, y, ny, d, gamma, false) / ((double) nx * ny);
        return new MmdResult(Math.max(0.0, kxx + kyy - 2 * kxy), bandwidth, nx, ny);
    }

    /** The median pairwise distance of the pooled set (subsampled to {@value #MEDIAN_POINTS} points). */
    public static double medianBandwidth(float[] x, int nx, float[] y, int ny, int d, Rng rng) {
        int pooled = nx + ny;
        int k = Math.min(pooled, MEDIAN_POINTS);
        int[] idx = k == pooled ? null : rng.permutation(pooled);
        float[] pts = new float[k * d];
        for (int i = 0; i < k; i++) {
            int r = idx == null ? i : idx[i];
            if (r < nx) {
                System.arraycopy(x, r * d, pts, i * d, d);
            } else {
                System.arraycopy(y, (r - nx) * d, pts, i * d, d);
            }
        }
        if (k < 2) {
            return 1.0;
        }
        double[] dist = new double[k * (k - 1) / 2];
        int e = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                dist[e++] = Math.sqrt(squaredDistance(pts, i, pts, j, d));
            }
        }
        Arrays.sort(dist);
        int m = dist.length;
        double median = (m % 2 == 1) ? dist[m / 2] : 0.5 * (dist[m / 2 - 1] + dist[m / 2]);
        return median > 0 ? median : 1.0;
    }

    /** {@code Σ_ij k(a_i, b_j)}; for {@code a == b} ({@code symmetric}) each off-diagonal pair is computed once. */
    private static double kernelSum(float[] a, int na, float[] b, int nb, int d, double gamma, boolean symmetric) {
        int chunks = Math.min(CHUNKS, na);
        double[] partial = new double[chunks];
        Parallel.forEachChunk(chunks, c -> {
            double s = 0;
            // interleaved rows balance the triangular work of the symmetric case
            for (int i = c; i < na; i += chunks) {
                if (symmetric) {
                    double row = 0;
                    for (int j = i + 1; j < nb; j++) {
                        row += Math.exp(-gamma * squaredDistance(a, i, b, j, d));
                    }
                    s += 2 * row + 1;   // k(a_i, a_i) = 1
                } else {
                    for (int j = 0; j < nb; j++) {
                        s += Math.exp(-gamma * squaredDistance(a, i, b, j, d));
                    }
                }
            }
            partial[c] = s;
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    private static double squaredDistance(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        int ai = i * d;
        int bj = j * d;
        for (int k = 0; k < d; k++) {
            double diff = (double) a[ai + k] - b[bj + k];
            s += diff * diff;
        }
        return s;
    }
}
