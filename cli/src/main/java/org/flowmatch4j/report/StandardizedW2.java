package org.flowmatch4j.report;

import org.flowmatch4j.coupling.LinearAssignmentSolver;

/**
 * The 2-Wasserstein distance between two equally weighted point sets of the same size n, after standardising
 * both with the per-column mean and standard deviation of the reference set:
 * {@code W2 = sqrt(min_σ (1/n) Σ_i ||a_i − b_σ(i)||²)} over permutations σ, solved exactly as an assignment
 * problem ({@link LinearAssignmentSolver}). Units: the reference's standard deviations, so the figure is
 * comparable across data sets.
 *
 * <p>Stand-in for the evaluation package's W2 until it lands on this branch.
 */
public final class StandardizedW2 {
    private StandardizedW2() {
    }

    /**
     * W2 between the first {@code n} rows of {@code samples} and of {@code reference} (both row-major
     * {@code [rows, d]}), in units of the reference's per-column standard deviation.
     */
    public static double compute(float[] samples, float[] reference, int n, int d) {
        if (n < 1 || samples.length < n * d || reference.length < n * d) {
            throw new IllegalArgumentException("W2 of " + n + " points in " + d + " dimensions needs " + (n * d)
                    + " values per set, got " + samples.length + " and " + reference.length);
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += reference[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = reference[i * d + j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / Math.max(1, n - 1));
            if (!(std[j] > 0)) {
                std[j] = 1;
            }
        }
        double[] a = standardize(samples, n, d, mean, std);
        double[] b = standardize(reference, n, d, mean, std);
        double[] cost = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = a[i * d + j] - b[k * d + j];
                    s += diff * diff;
                }
                cost[i * n + k] = s;
            }
        }
        double total = new LinearAssignmentSolver().solve(cost, n, new int[n]);
        return Math.sqrt(total / n);
    }

    private static double[] standardize(float[] x, int n, int d, double[] mean, double[] std) {
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] = (x[i * d + j] - mean[j]) / std[j];
            }
        }
        return z;
    }
}
