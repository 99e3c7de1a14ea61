package org.flowmatch4j.eval;

import org.flowmatch4j.tensor.Rng;

/** Checks and subsampling of row-major point sets {@code [rows, d]} shared by the metrics. */
final class PointSets {
    private PointSets() {
    }

    /** Fails, naming the set, unless it is a non-empty finite {@code [rows, d]} array. */
    static void check(String name, float[] x, int rows, int d) {
        if (x == null || rows < 1 || d < 1 || x.length != (long) rows * d) {
            throw new IllegalArgumentException("point set " + name + ": expected " + rows + " rows of dimension " + d
                    + " (at least one row), got " + (x == null ? "null" : x.length + " values"));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("point set " + name + ": row " + (i / d) + ", column " + (i % d)
                        + " is " + x[i]);
            }
        }
    }

    /**
     * {@code k} rows of {@code x} drawn without replacement (the first k of a random permutation, in that
     * order); {@code x} itself when it already has exactly k rows, without drawing from {@code rng}.
     */
    static float[] subsample(float[] x, int rows, int d, int k, Rng rng) {
        if (k > rows) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + rows + " rows");
        }
        if (k == rows) {
            return x;
        }
        int[] perm = rng.permutation(rows);
        float[] out = new float[k * d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(x, perm[i] * d, out, i * d, d);
        }
        return out;
    }
}
