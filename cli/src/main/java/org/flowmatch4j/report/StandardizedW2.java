package org.flowmatch4j.report;

import org.flowmatch4j.eval.Wasserstein;

/**
 * The exact 2-Wasserstein distance between two equally weighted sets of n points after standardising both
 * with the per-column mean and standard deviation of the reference set,
 * {@code W2 = sqrt(min_σ (1/n) Σ_i ||a_i − b_σ(i)||²)} (an optimal assignment, {@link Wasserstein#exact}). Units:
 * the reference's standard deviations, so the figure compares across data sets.
 */
public final class StandardizedW2 {
    private StandardizedW2() {
    }

    /** W2 between the first {@code n} rows of {@code samples} and of {@code reference} (row-major {@code [rows, d]}). */
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
        return new Wasserstein(n, n, Wasserstein.DEFAULT_RELATIVE_EPSILON)
                .exact(2, standardize(samples, n, d, mean, std), standardize(reference, n, d, mean, std), n, d).value();
    }

    /** The first n rows of x, standardised. */
    static float[] standardize(float[] x, int n, int d, double[] mean, double[] std) {
        float[] z = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] = (float) ((x[i * d + j] - mean[j]) / std[j]);
            }
        }
        return z;
    }
}
