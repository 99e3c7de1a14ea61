package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Tensor;

/**
 * A minibatch re-ordered by a {@link CouplingPlan}: row {@code k} of {@code x0} and row {@code k} of
 * {@code x1} form pair {@code k} ({@code x0 = x0_in[i0]}, {@code x1 = x1_in[i1]}).
 *
 * @param x0   paired source rows, shape [pairs, dim]
 * @param x1   paired target rows, shape [pairs, dim]
 * @param plan the index pairs that produced them
 */
public record CoupledBatch(Tensor x0, Tensor x1, CouplingPlan plan) {
    public CoupledBatch {
        if (x0 == null || x1 == null || plan == null) {
            throw new IllegalArgumentException("CoupledBatch: x0, x1 and plan must be non-null");
        }
    }

    /** The rows of {@code x0} and {@code x1} in the order of {@code plan}: {@code (x0[i0], x1[i1])}. */
    public static CoupledBatch of(Tensor x0, Tensor x1, CouplingPlan plan) {
        return new CoupledBatch(x0.gatherRows(plan.i0()), x1.gatherRows(plan.i1()), plan);
    }
}
