package org.flowmatch4j.coupling;

import java.util.Arrays;

/**
 * The pairs a {@link Coupling} chose to train on: pair {@code k} joins source row {@code i0[k]} of
 * {@code x0} with target row {@code i1[k]} of {@code x1}.
 *
 * <p>The arrays are owned by the plan and are not copied (plans are built every training step); callers
 * must not modify them. {@code equals}/{@code hashCode} compare the array contents.
 *
 * @param i0          source row of each pair
 * @param i1          target row of each pair
 * @param convergence how the solver that produced the plan finished
 */
public record CouplingPlan(int[] i0, int[] i1, Convergence convergence) {
    public CouplingPlan {
        if (i0 == null || i1 == null || convergence == null) {
            throw new IllegalArgumentException("CouplingPlan: i0, i1 and convergence must be non-null");
        }
        if (i0.length != i1.length) {
            throw new IllegalArgumentException("CouplingPlan: i0 has " + i0.length + " entries but i1 has " + i1.length);
        }
    }

    /** Number of pairs. */
    public int size() {
        return i0.length;
    }

    /** Mean squared Euclidean distance {@code (1/K) Σ_k ||x0[i0[k]] − x1[i1[k]]||²} over the pairs (0 for none). */
    public double meanSquaredDistance(org.flowmatch4j.tensor.Tensor x0, org.flowmatch4j.tensor.Tensor x1) {
        SquaredEuclideanCost.checkPair(x0, x1);
        int d = x0.size(1);
        double total = 0;
        for (int k = 0; k < i0.length; k++) {
            total += SquaredEuclideanCost.between(x0, i0[k], x1, i1[k], d);
        }
        return i0.length == 0 ? 0.0 : total / i0.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CouplingPlan p && Arrays.equals(i0, p.i0) && Arrays.equals(i1, p.i1)
                && convergence.equals(p.convergence);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(i0) + Arrays.hashCode(i1)) + convergence.hashCode();
    }

    @Override
    public String toString() {
        return "CouplingPlan[pairs=" + i0.length + ", i0=" + Arrays.toString(i0) + ", i1=" + Arrays.toString(i1)
                + ", " + convergence + "]";
    }
}
