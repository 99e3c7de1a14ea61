package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The independent coupling {@code q(x0, x1) = p0(x0)·p1(x1)}: row {@code k} of {@code x0} is paired with
 * row {@code k} of {@code x1}, for {@code k < min(n, m)}. The batches are independent draws already, so
 * the identity pairing is a sample of the product measure; nothing random is drawn.
 */
public final class IndependentCoupling implements Coupling {
    /** CLI name. */
    public static final String NAME = "independent";

    @Override
    public CouplingPlan plan(Tensor x0, Tensor x1, Rng rng) {
        SquaredEuclideanCost.checkPair(x0, x1);
        int pairs = Math.min(x0.size(0), x1.size(0));
        int[] i0 = new int[pairs];
        int[] i1 = new int[pairs];
        for (int k = 0; k < pairs; k++) {
            i0[k] = k;
            i1[k] = k;
        }
        return new CouplingPlan(i0, i1, Convergence.DIRECT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "IndependentCoupling";
    }
}
