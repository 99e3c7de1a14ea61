package org.flowmatch4j.data;

import java.util.Arrays;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Per-column standardisation {@code z_j = (x_j − μ_j) / s_j} and its inverse {@code x_j = μ_j + s_j·z_j},
 * for models that train on normalised data and must report samples in data units.
 *
 * <p>{@link #fit} takes μ and s as the column mean and population standard deviation, accumulated in
 * float64 with Welford's update (stable for large offsets). A constant column would give s = 0; it gets
 * s = 1 instead, so the column is only centred and the map stays invertible.
 *
 * <p>Density note: for a model density {@code p_z} on standardised data, {@code log p_x(x) = log p_z(z) −
 * Σ_j log s_j}; {@link #logAbsDet()} returns {@code Σ_j log s_j}.
 *
 * @param mean per-column means μ (length d)
 * @param std per-column scales s (length d, positive and finite)
 */
public record Standardization(double[] mean, double[] std) {

    /** Validates and copies the parameters. */
    public Standardization {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Standardization: mean and std must be non-empty and of equal length, got "
                    + (mean == null ? "null" : mean.length) + " and " + (std == null ? "null" : std.length));
        }
        for (int j = 0; j < std.length; j++) {
            if (!Double.isFinite(mean[j]) || !(std[j] > 0) || !Double.isFinite(std[j])) {
                throw new IllegalArgumentException("Standardization: column " + j + " needs a finite mean and a positive finite std, got mean="
                        + mean[j] + ", std=" + std[j]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The column means and standard deviations of {@code data} (constant columns get std 1). */
    public static Standardization fit(Dataset data) {
        int n = data.size();
        int d = data.dim();
        if (n < 1) {
            throw new IllegalArgumentException("Standardization.fit: the dataset is empty");
        }
        float[] x = data.toArray();
        double[] mu = new double[d];
        double[] m2 = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                double delta = v - mu[j];
                mu[j] += delta / (i + 1);
                m2[j] += delta * (v - mu[j]);
            }
        }
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(m2[j] / n);
            s[j] = sd > 0 ? sd : 1.0;
        }
        return new Standardization(mu, s);
    }

    /** The identity map in {@code d} dimensions. */
    public static Standardization identity(int d) {
        double[] s = new double[d];
        Arrays.fill(s, 1.0);
        return new Standardization(new double[d], s);
    }

    /** The dimension d. */
    public int dim() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** {@code Σ_j log s_j}: the log-determinant of the inverse map (data ← standardised). */
    public double logAbsDet() {
        double s = 0;
        for (double v : std) {
            s += Math.log(v);
        }
        return s;
    }

    /** Standardises {@code rows} samples stored row-major in {@code x[off …]} in place. */
    public void applyInPlace(float[] x, int off, int rows) {
        check(x, off, rows);
        int d = mean.length;
        for (int i = 0; i < rows; i++) {
            int base = off + i * d;
            for (int j = 0; j < d; j++) {
                x[base + j] = (float) ((x[base + j] - mean[j]) / std[j]);
            }
        }
    }

    /** Maps {@code rows} standardised samples in {@code z[off …]} back to data units, in place. */
    public void invertInPlace(float[] z, int off, int rows) {
        check(z, off, rows);
        int d = mean.length;
        for (int i = 0; i < rows; i++) {
            int base = off + i * d;
            for (int j = 0; j < d; j++) {
                z[base + j] = (float) (mean[j] + std[j] * z[base + j]);
            }
        }
    }

    /** The standardised dataset (labels and column names kept). */
    public Dataset apply(Dataset data) {
        checkDim(data.dim());
        float[] x = data.toArray();
        applyInPlace(x, 0, data.size());
        return Dataset.of(x, data.size(), data.dim(), data.labels(), data.columnNames());
    }

    /** The dataset mapped back to data units (labels and column names kept). */
    public Dataset invert(Dataset data) {
        checkDim(data.dim());
        float[] z = data.toArray();
        invertInPlace(z, 0, data.size());
        return Dataset.of(z, data.size(), data.dim(), data.labels(), data.columnNames());
    }

    /** A new standardised tensor {@code [n, d]} (float32 or float64, same as the input). */
    public Tensor apply(Tensor x) {
        return map(x, true);
    }

    /** A new tensor {@code [n, d]} mapped back to data units. */
    public Tensor invert(Tensor z) {
        return map(z, false);
    }

    private Tensor map(Tensor x, boolean forward) {
        if (x.rank() != 2 || x.size(1) != mean.length) {
            throw new IllegalArgumentException("Standardization: need a tensor [n, " + mean.length + "], got " + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int d = mean.length;
        if (x.dtype() == DType.FLOAT32) {
            float[] out = x.floatData().clone();
            if (forward) {
                applyInPlace(out, 0, n);
            } else {
                invertInPlace(out, 0, n);
            }
            return Tensor.of(out, n, d);
        }
        double[] out = x.doubleData().clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                int k = i * d + j;
                out[k] = forward ? (out[k] - mean[j]) / std[j] : mean[j] + std[j] * out[k];
            }
        }
        return Tensor.of(out, n, d);
    }

    private void check(float[] x, int off, int rows) {
        if (x == null || off < 0 || rows < 0 || off + (long) rows * mean.length > x.length) {
            throw new IllegalArgumentException("Standardization: " + rows + " rows of " + mean.length + " from offset " + off
                    + " do not fit an array of " + (x == null ? "null" : x.length));
        }
    }

    private void checkDim(int d) {
        if (d != mean.length) {
            throw new IllegalArgumentException("Standardization: fitted for " + mean.length + " columns, data has " + d);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
