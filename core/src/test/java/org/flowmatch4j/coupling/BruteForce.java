package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Tensor;

/** Reference answers by enumeration, for tests. */
final class BruteForce {
    private BruteForce() {}

    /** min over injective maps σ: rows → columns (rows ≤ cols) of Σ_i C[i, σ(i)], C row-major rows×cols. */
    static double minAssignmentCost(double[] c, int rows, int cols) {
        return search(c, rows, cols, 0, new boolean[cols]);
    }

    private static double search(double[] c, int rows, int cols, int i, boolean[] used) {
        if (i == rows) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[i * cols + j] + search(c, rows, cols, i + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    /** The squared Euclidean cost matrix computed naively from getDouble, rows of a × rows of b. */
    static double[] costMatrix(Tensor a, Tensor b) {
        int n = a.size(0);
        int m = b.size(0);
        int d = a.size(1);
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i * m + j] = SquaredEuclideanCost.between(a, i, b, j, d);
            }
        }
        return c;
    }

    /** Σ_k ||x0[i0[k]] − x1[i1[k]]||² of a plan. */
    static double planCost(CouplingPlan p, Tensor x0, Tensor x1) {
        return p.meanSquaredDistance(x0, x1) * p.size();
    }
}
