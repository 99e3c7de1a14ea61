package org.flowmatch4j.tensor;

import java.util.Arrays;

/** Shape arithmetic for row-major n-d arrays: element counts, strides and NumPy broadcasting. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape (1 for the scalar shape {@code []}). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides: {@code stride[i] = prod(shape[i+1..])}. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Human-readable shape, e.g. {@code [256, 3]}. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The broadcast shape of two shapes (NumPy rules: align trailing axes; sizes must match or be 1).
     *
     * @throws IllegalArgumentException naming the op and both shapes when they do not broadcast
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
        }
        return out;
    }

    /**
     * Strides of {@code shape} viewed inside the broadcast shape {@code out}: 0 on broadcast (size-1 or missing) axes.
     */
    public static int[] broadcastStrides(int[] shape, int[] out) {
        int[] own = strides(shape);
        int[] st = new int[out.length];
        int off = out.length - shape.length;
        for (int i = 0; i < out.length; i++) {
            if (i < off) {
                st[i] = 0;
            } else {
                st[i] = shape[i - off] == 1 && out[i] != 1 ? 0 : own[i - off];
            }
        }
        return st;
    }

    /** Normalises a possibly negative axis against a rank, naming the op when it is out of range. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** Resolves a reshape target with at most one {@code -1} against an element count. */
    public static int[] resolveReshape(int[] from, int[] to) {
        int n = numel(from);
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + str(to));
                }
                infer = i;
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " to " + str(to));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " to " + str(to));
        }
        return out;
    }
}
