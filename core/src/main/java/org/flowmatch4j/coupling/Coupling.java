package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * A rule for pairing source samples {@code x0} with target samples {@code x1} within a minibatch, the
 * joint distribution {@code q(x0, x1)} that conditional flow matching trains on.
 *
 * <p>Inputs are rank-2 tensors {@code x0} [n, d] and {@code x1} [m, d] (float32 or float64, either mix);
 * usually {@code n = m = batch}. Implementations keep per-instance work buffers so that the per-step
 * call allocates little beyond its result; an instance is therefore <em>not</em> thread-safe (use one per
 * training thread).
 */
public interface Coupling {
    /**
     * Chooses the pairs to train on.
     *
     * @param x0  source samples [n, d]
     * @param x1  target samples [m, d]
     * @param rng generator for couplings that sample (deterministic couplings ignore it; it may then be null)
     * @return the pairs; the number of pairs is documented by each implementation
     * @throws IllegalArgumentException for tensors that are not rank 2, differ in dimension, or hold non-finite values
     */
    CouplingPlan plan(Tensor x0, Tensor x1, Rng rng);

    /** The pairs as re-ordered tensors: {@code (x0[i0], x1[i1])} with the plan that produced them. */
    default CoupledBatch pair(Tensor x0, Tensor x1, Rng rng) {
        return CoupledBatch.of(x0, x1, plan(x0, x1, rng));
    }

    /**
     * For a coupling whose plan depends on the batch alone (it never draws from the generator) and costs much
     * more than a small network's training step (an assignment), a new instance with the same settings and its
     * own work buffers, so that a trainer can solve the next batches' plans on worker threads while it trains;
     * empty (the default) for couplings that sample or are cheap.
     */
    default java.util.Optional<Coupling> workerCopy() {
        return java.util.Optional.empty();
    }

    /** The CLI name of this coupling (e.g. {@code "exact-ot"}). */
    String name();
}
