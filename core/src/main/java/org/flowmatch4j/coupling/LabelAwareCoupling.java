package org.flowmatch4j.coupling;

import java.util.Arrays;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * A coupling that only pairs points with the same class label: the batch is split by label, the inner
 * coupling pairs each class's x0 rows with that class's x1 rows, and the pairs are mapped back to batch
 * indices. Use it with class-conditional sources (x0 drawn per label), so that a conditional model never
 * learns a path between classes.
 *
 * <p>Every label must occur equally often in {@code labels0} and {@code labels1} (the usual case: x0 drawn
 * with the labels of x1); otherwise the call fails naming the first mismatching class. Classes are processed
 * in increasing label order with the same generator, so results are reproducible; the pairs are listed class
 * by class. The returned convergence combines the classes' (largest iteration count and error).
 */
public final class LabelAwareCoupling {
    private final Coupling inner;

    /** @param inner the coupling applied within each class */
    public LabelAwareCoupling(Coupling inner) {
        if (inner == null) {
            throw new IllegalArgumentException("LabelAwareCoupling: inner coupling must be non-null");
        }
        this.inner = inner;
    }

    /**
     * Pairs within classes.
     *
     * @param labels0 class of each x0 row (length n)
     * @param labels1 class of each x1 row (length m)
     * @throws IllegalArgumentException if a label array's length differs from its batch, or class counts differ
     */
    public CouplingPlan plan(Tensor x0, int[] labels0, Tensor x1, int[] labels1, Rng rng) {
        SquaredEuclideanCost.checkPair(x0, x1);
        int n = x0.size(0);
        int m = x1.size(0);
        if (labels0 == null || labels1 == null || labels0.length != n || labels1.length != m) {
            throw new IllegalArgumentException("LabelAwareCoupling: need one label per row, got "
                    + (labels0 == null ? "null" : labels0.length) + " labels for x0 " + SquaredEuclideanCost.shape(x0) + " and "
                    + (labels1 == null ? "null" : labels1.length) + " labels for x1 " + SquaredEuclideanCost.shape(x1));
        }
        int[] order0 = sortedByLabel(labels0);
        int[] order1 = sortedByLabel(labels1);
        checkCounts(labels0, order0, labels1, order1);
        int[] i0 = new int[n];
        int[] i1 = new int[n];
        int pairs = 0;
        Convergence conv = Convergence.DIRECT;
        int start = 0;
        while (start < n) {
            int label = labels0[order0[start]];
            int end = start;
            while (end < n && labels0[order0[end]] == label) {
                end++;
            }
            int[] rows0 = Arrays.copyOfRange(order0, start, end);
            int[] rows1 = Arrays.copyOfRange(order1, start, end);   // same counts, same sorted positions
            CouplingPlan p = inner.plan(x0.gatherRows(rows0), x1.gatherRows(rows1), rng);
            for (int k = 0; k < p.size(); k++) {
                i0[pairs] = rows0[p.i0()[k]];
                i1[pairs] = rows1[p.i1()[k]];
                pairs++;
            }
            conv = conv.combine(p.convergence());
            start = end;
        }
        if (pairs != n) {
            i0 = Arrays.copyOf(i0, pairs);
            i1 = Arrays.copyOf(i1, pairs);
        }
        return new CouplingPlan(i0, i1, conv);
    }

    /** The pairs as re-ordered tensors. */
    public CoupledBatch pair(Tensor x0, int[] labels0, Tensor x1, int[] labels1, Rng rng) {
        CouplingPlan p = plan(x0, labels0, x1, labels1, rng);
        return new CoupledBatch(x0.gatherRows(p.i0()), x1.gatherRows(p.i1()), p);
    }

    /** The coupling used within each class. */
    public Coupling inner() {
        return inner;
    }

    /** Row indices sorted by label, stable (ties keep row order). */
    private static int[] sortedByLabel(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).boxed()
                .sorted((a, b) -> Integer.compare(labels[a], labels[b]))
                .mapToInt(Integer::intValue).toArray();
    }

    private static void checkCounts(int[] labels0, int[] order0, int[] labels1, int[] order1) {
        int n = order0.length;
        int m = order1.length;
        int a = 0;
        int b = 0;
        while (a < n || b < m) {
            int la = a < n ? labels0[order0[a]] : Integer.MAX_VALUE;
            int lb = b < m ? labels1[order1[b]] : Integer.MAX_VALUE;
            int label = Math.min(la, lb);
            int ca = 0;
            while (a < n && labels0[order0[a]] == label) {
                a++;
                ca++;
            }
            int cb = 0;
            while (b < m && labels1[order1[b]] == label) {
                b++;
                cb++;
            }
            if (ca != cb) {
                throw new IllegalArgumentException("LabelAwareCoupling: class " + label + " has " + ca
                        + " x0 rows but " + cb + " x1 rows; each class needs equal counts");
            }
        }
    }

    @Override
    public String toString() {
        return "LabelAwareCoupling[" + inner + "]";
    }
}
