package org.flowmatch4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * An immutable table of {@code n} samples in {@code d} dimensions: float32 values stored row-major
 * ({@code value(i, j) = data[i·d + j]}), optional integer labels (one per sample) and column names.
 *
 * <p>Every value is finite (checked on construction), so models never see NaN from the data. The arrays
 * given to the factories are copied; accessors return copies, so a dataset can be shared freely.
 */
public final class Dataset {
    private final float[] data;
    private final int n;
    private final int d;
    private final int[] labels;
    private final List<String> columnNames;

    private Dataset(float[] data, int n, int d, int[] labels, List<String> columnNames) {
        this.data = data;
        this.n = n;
        this.d = d;
        this.labels = labels;
        this.columnNames = columnNames;
    }

    /**
     * A dataset of {@code rows} samples of dimension {@code cols} copied from {@code data} (row-major),
     * with column names {@code x0, x1, …} and no labels.
     */
    public static Dataset of(float[] data, int rows, int cols) {
        return of(data, rows, cols, null, null);
    }

    /**
     * A dataset copied from {@code data} (row-major, {@code rows × cols}), with optional labels (length
     * {@code rows}, or null) and optional column names (length {@code cols}, distinct and non-blank, or
     * null for {@code x0, x1, …}).
     */
    public static Dataset of(float[] data, int rows, int cols, int[] labels, List<String> columnNames) {
        if (data == null) {
            throw new IllegalArgumentException("Dataset: data is null");
        }
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("Dataset: need rows >= 0 and cols >= 1, got rows=" + rows + ", cols=" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("Dataset: " + data.length + " values do not fill [" + rows + ", " + cols + "] ("
                    + ((long) rows * cols) + " needed)");
        }
        for (int k = 0; k < data.length; k++) {
            if (!Float.isFinite(data[k])) {
                throw new IllegalArgumentException("Dataset: non-finite value " + data[k] + " at row " + (k / cols) + ", column " + (k % cols));
            }
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("Dataset: " + labels.length + " labels for " + rows + " rows");
        }
        return new Dataset(data.clone(), rows, cols, labels == null ? null : labels.clone(), checkedNames(columnNames, cols));
    }

    /**
     * As {@link #of(float[], int, int, int[], List)} but taking ownership of arrays the caller has just
     * built and checked (finite values, matching lengths): the CSV reader and the generators, where a copy
     * of a large array would be pure waste.
     */
    static Dataset adopt(float[] data, int rows, int cols, int[] labels, List<String> columnNames) {
        if ((long) rows * cols != data.length || (labels != null && labels.length != rows)) {
            throw new IllegalStateException("Dataset.adopt: inconsistent sizes " + data.length + " for [" + rows + ", " + cols + "]");
        }
        return new Dataset(data, rows, cols, labels, checkedNames(columnNames, cols));
    }

    /**
     * A dataset copied from a rank-2 tensor {@code [n, d]} (float32, or float64 rounded to float32), with
     * column names {@code x0, x1, …} and no labels.
     */
    public static Dataset of(Tensor samples) {
        if (samples == null || samples.rank() != 2) {
            throw new IllegalArgumentException("Dataset: need a rank-2 tensor [n, d], got shape "
                    + (samples == null ? "null" : Arrays.toString(samples.shape())));
        }
        float[] f = samples.dtype() == DType.FLOAT32 ? samples.floatData() : samples.to(DType.FLOAT32).floatData();
        return of(f, samples.size(0), samples.size(1));
    }

    /** The default column names {@code x0 … x(d−1)}. */
    public static List<String> defaultColumnNames(int d) {
        List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return Collections.unmodifiableList(names);
    }

    private static List<String> checkedNames(List<String> names, int cols) {
        if (names == null) {
            return defaultColumnNames(cols);
        }
        if (names.size() != cols) {
            throw new IllegalArgumentException("Dataset: " + names.size() + " column names " + names + " for " + cols + " columns");
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < cols; j++) {
            String s = names.get(j);
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("Dataset: column " + j + " has a blank name in " + names);
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException("Dataset: duplicate column name \"" + s + "\" in " + names);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(names));
    }

    /** This dataset with the given labels (length {@link #size()}, or null to drop them). */
    public Dataset withLabels(int[] newLabels) {
        if (newLabels != null && newLabels.length != n) {
            throw new IllegalArgumentException("Dataset: " + newLabels.length + " labels for " + n + " rows");
        }
        return new Dataset(data, n, d, newLabels == null ? null : newLabels.clone(), columnNames);
    }

    /** This dataset with other column names (distinct, non-blank, one per column). */
    public Dataset withColumnNames(List<String> names) {
        return new Dataset(data, n, d, labels, checkedNames(names, d));
    }

    /** The number of samples n. */
    public int size() {
        return n;
    }

    /** The dimension d of each sample. */
    public int dim() {
        return d;
    }

    /** The column names (unmodifiable, length d). */
    public List<String> columnNames() {
        return columnNames;
    }

    /** Whether the samples carry labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The label of sample {@code i}; fails when the dataset has no labels. */
    public int label(int i) {
        checkRow(i);
        if (labels == null) {
            throw new IllegalStateException("Dataset: no labels");
        }
        return labels[i];
    }

    /** A copy of the labels, or null when there are none. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The value at row {@code i}, column {@code j}. */
    public float get(int i, int j) {
        checkRow(i);
        if (j < 0 || j >= d) {
            throw new IndexOutOfBoundsException("Dataset: column " + j + " out of range [0, " + d + ")");
        }
        return data[i * d + j];
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        float[] out = new float[d];
        row(i, out, 0);
        return out;
    }

    /** Copies row {@code i} into {@code out[off, off + d)}. */
    public void row(int i, float[] out, int off) {
        checkRow(i);
        System.arraycopy(data, i * d, out, off, d);
    }

    /** A copy of all values, row-major {@code [n·d]}. */
    public float[] toArray() {
        return data.clone();
    }

    /** A new float32 tensor {@code [n, d]} holding a copy of the values. */
    public Tensor toTensor() {
        return Tensor.of(data.clone(), n, d);
    }

    /**
     * Draws {@code batch} rows uniformly with replacement into {@code out[0, batch·d)} (row-major),
     * allocating nothing: the per-step sampler of training loops. Uses {@code batch} calls of
     * {@code rng.nextInt(n)}.
     */
    public void sampleBatch(Rng rng, int batch, float[] out) {
        sampleBatch(rng, batch, out, null);
    }

    /**
     * As {@link #sampleBatch(Rng, int, float[])}, also writing the drawn rows' labels into
     * {@code labelsOut[0, batch)} when it is not null (the dataset must then have labels).
     */
    public void sampleBatch(Rng rng, int batch, float[] out, int[] labelsOut) {
        if (batch < 0) {
            throw new IllegalArgumentException("sampleBatch: batch must be >= 0, got " + batch);
        }
        if (n == 0) {
            throw new IllegalArgumentException("sampleBatch: the dataset is empty");
        }
        if (out == null || (long) batch * d > out.length) {
            throw new IllegalArgumentException("sampleBatch: buffer of " + (out == null ? "null" : out.length + " floats")
                    + " is too small for [" + batch + ", " + d + "]");
        }
        if (labelsOut != null) {
            if (labels == null) {
                throw new IllegalArgumentException("sampleBatch: labels requested but the dataset has none");
            }
            if (labelsOut.length < batch) {
                throw new IllegalArgumentException("sampleBatch: label buffer of " + labelsOut.length + " is too small for " + batch);
            }
        }
        for (int b = 0; b < batch; b++) {
            int i = rng.nextInt(n);
            System.arraycopy(data, i * d, out, b * d, d);
            if (labelsOut != null) {
                labelsOut[b] = labels[i];
            }
        }
    }

    /** The samples at the given indices (repeats allowed), in that order, with their labels and names. */
    public Dataset subset(int[] indices) {
        float[] sub = new float[indices.length * d];
        int[] subLabels = labels == null ? null : new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            checkRow(i);
            System.arraycopy(data, i * d, sub, k * d, d);
            if (subLabels != null) {
                subLabels[k] = labels[i];
            }
        }
        return new Dataset(sub, indices.length, d, subLabels, columnNames);
    }

    /**
     * A deterministic random split: {@code round(n · testFraction)} samples go to the test part, the rest
     * to the training part, each part keeping the original row order. The same seed gives the same split.
     * Both parts must be non-empty.
     */
    public DatasetSplit split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("split: testFraction must be in (0, 1), got " + testFraction);
        }
        long nTest = Math.round(n * testFraction);
        if (nTest < 1 || nTest > n - 1) {
            throw new IllegalArgumentException("split: testFraction " + testFraction + " of " + n + " samples leaves "
                    + nTest + " test and " + (n - nTest) + " training samples; both need at least 1");
        }
        int[] perm = new Rng(seed).permutation(n);
        int[] test = Arrays.copyOfRange(perm, 0, (int) nTest);
        int[] train = Arrays.copyOfRange(perm, (int) nTest, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new DatasetSplit(subset(train), subset(test));
    }

    private void checkRow(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("Dataset: row " + i + " out of range [0, " + n + ")");
        }
    }

    @Override
    public String toString() {
        return "Dataset[n=" + n + ", d=" + d + ", columns=" + columnNames + (labels != null ? ", labelled" : "") + "]";
    }
}
