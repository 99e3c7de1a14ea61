package org.flowmatch4j.path;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/** Shape checks and per-row access shared by the paths: states are [B, ...] row-major, time is [B]. */
final class Batches {
    private Batches() {
    }

    /** Checks that x0 and x1 are [B, ...] tensors of the same shape and type and t is [B]; returns B. */
    static int checkPair(String op, Tensor x0, Tensor x1, Tensor t) {
        if (x0 == null || x1 == null || t == null) {
            throw new IllegalArgumentException(op + ": x0, x1 and t must not be null (got x0=" + describe(x0) + ", x1="
                    + describe(x1) + ", t=" + describe(t) + ")");
        }
        if (x0.rank() < 2) {
            throw new IllegalArgumentException(op + ": x0 must be [B, d] (rank >= 2), got shape " + Shapes.str(x0.shape()));
        }
        if (!java.util.Arrays.equals(x0.shape(), x1.shape())) {
            throw new IllegalArgumentException(op + ": x0 shape " + Shapes.str(x0.shape()) + " and x1 shape "
                    + Shapes.str(x1.shape()) + " differ");
        }
        if (x0.dtype() != x1.dtype()) {
            throw new IllegalArgumentException(op + ": x0 is " + x0.dtype().label() + " but x1 is " + x1.dtype().label());
        }
        int b = x0.size(0);
        checkTime(op, t, b, x0, false);
        return b;
    }

    /**
     * Checks that t is [B] (or [1] when {@code allowBroadcast}) for the batch of {@code x} and that every value lies
     * in [0, 1].
     */
    static void checkTime(String op, Tensor t, int batch, Tensor x, boolean allowBroadcast) {
        boolean ok = t.rank() == 1 && (t.size(0) == batch || (allowBroadcast && t.size(0) == 1));
        if (!ok) {
            throw new IllegalArgumentException(op + ": t shape " + Shapes.str(t.shape()) + " does not match batch "
                    + batch + " of x shape " + Shapes.str(x.shape()) + " (t must be [" + batch + "]"
                    + (allowBroadcast ? " or [1])" : ")"));
        }
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            double v = t.getDouble(i);
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException(op + ": t[" + i + "] = " + v + " is outside [0, 1]");
            }
        }
    }

    /** The time of row i (t is [B] or a broadcast [1]). */
    static double time(Tensor t, int row) {
        return t.getDouble(t.numel() == 1 ? 0 : row);
    }

    /** Elements per row of a [B, ...] tensor. */
    static int rowSize(Tensor x) {
        int b = x.size(0);
        return b == 0 ? 0 : x.numel() / b;
    }

    /** {@code out[off, off+n) = a·x[off, off+n) + b·y[off, off+n)} for tensors of one type; arithmetic in double. */
    static void combine(Tensor out, double a, Tensor x, double b, Tensor y, int off, int n) {
        if (out.dtype() == org.flowmatch4j.tensor.DType.FLOAT32) {
            float[] o = out.floatData();
            float[] xs = x.floatData();
            float[] ys = y.floatData();
            for (int j = off, end = off + n; j < end; j++) {
                o[j] = (float) (a * xs[j] + b * ys[j]);
            }
        } else {
            double[] o = out.doubleData();
            double[] xs = x.doubleData();
            double[] ys = y.doubleData();
            for (int j = off, end = off + n; j < end; j++) {
                o[j] = a * xs[j] + b * ys[j];
            }
        }
    }

    static void requireRng(String op, Rng rng) {
        if (rng == null) {
            throw new IllegalArgumentException(op + ": this path is stochastic and needs an Rng, got null");
        }
    }

    private static String describe(Tensor x) {
        return x == null ? "null" : Shapes.str(x.shape());
    }
}
