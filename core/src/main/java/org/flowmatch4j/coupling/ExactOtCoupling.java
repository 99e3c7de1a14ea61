package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Exact minibatch optimal transport with squared Euclidean cost, as an assignment:
 * {@code σ* = argmin_σ Σ_i ||x0_i − x1_σ(i)||²}, pairs {@code (i, σ*(i))}.
 *
 * <p>Every point is used exactly once (an optimal plan between two uniform empirical measures of equal
 * size is a permutation, so the pairing is drawn without replacement; nothing is duplicated or dropped,
 * unlike sampling pairs from the plan with replacement). Solved exactly in float64 by
 * {@link LinearAssignmentSolver} (Jonker–Volgenant, O(n³) worst case).
 *
 * <p>Rectangular batches ({@code n ≠ m}) are supported: the result is the optimal partial assignment with
 * {@code min(n, m)} pairs, using every point of the smaller batch once and the best subset of the larger
 * (the problem is padded to a square one with zero-cost dummy rows or columns). With {@code n ≤ m} the
 * pairs are ordered by source row ({@code i0[k] = k}); otherwise by target row ({@code i1[k] = k}).
 *
 * <p>The cost matrix and solver work arrays are kept per instance, so a call allocates only its result;
 * an instance is not thread-safe. Nothing random is drawn.
 */
public final class ExactOtCoupling implements Coupling {
    /** CLI name. */
    public static final String NAME = "exact-ot";

    private final SquaredEuclideanCost costs = new SquaredEuclideanCost();
    private final LinearAssignmentSolver solver = new LinearAssignmentSolver();
    private double[] cost = new double[0];
    private int[] rowToCol = new int[0];
    private double lastCost;

    @Override
    public CouplingPlan plan(Tensor x0, Tensor x1, Rng rng) {
        SquaredEuclideanCost.checkPair(x0, x1);
        int n = x0.size(0);
        int m = x1.size(0);
        int size = Math.max(n, m);
        long cells = (long) size * size;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("exact OT between " + n + " and " + m
                    + " points needs a " + size + "x" + size + " cost matrix, too large");
        }
        if (cost.length < cells) {
            cost = new double[(int) cells];
        }
        if (rowToCol.length < size) {
            rowToCol = new int[size];
        }
        if (n != m) {
            // dummy rows/columns cost nothing, so the real part is the optimal partial assignment
            java.util.Arrays.fill(cost, 0, (int) cells, 0.0);
        }
        costs.compute(x0, x1, cost, size);
        lastCost = solver.solve(cost, size, rowToCol);
        int pairs = Math.min(n, m);
        int[] i0 = new int[pairs];
        int[] i1 = new int[pairs];
        if (n <= m) {
            for (int i = 0; i < n; i++) {
                i0[i] = i;
                i1[i] = rowToCol[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                int j = rowToCol[i];
                if (j < m) {
                    i0[j] = i;
                    i1[j] = j;
                }
            }
        }
        return new CouplingPlan(i0, i1, Convergence.DIRECT);
    }

    /** Total squared distance {@code Σ_k ||x0[i0[k]] − x1[i1[k]]||²} of the last plan (float64). */
    public double lastTotalCost() {
        return lastCost;
    }

    /** A new exact-OT coupling (assignments are deterministic and cost ~1 ms at batch 256: worth solving ahead). */
    @Override
    public java.util.Optional<Coupling> workerCopy() {
        return java.util.Optional.of(new ExactOtCoupling());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "ExactOtCoupling";
    }
}
