package org.flowmatch4j.path;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * A conditional probability path {@code p_t(x | x0, x1)} together with its conditional velocity: given paired
 * source and data points and a time per row, it returns points {@code x_t} on the path and the Flow Matching
 * regression target {@code u_t}, so that training minimises {@code E ||v_θ(t, x_t) − u_t||²}.
 *
 * <p>Conventions (DESIGN.md §2): t = 0 is the source, t = 1 the data; x0 and x1 are [B, ...] with the same
 * shape and type (float32 or float64), t is [B] with values in [0, 1] (any type); bad shapes throw
 * {@link IllegalArgumentException} naming both shapes. The outputs have x0's type; coefficients are computed in
 * double precision.
 */
public interface ProbabilityPath {
    /**
     * Samples the path at the given times.
     *
     * @param x0  source points [B, ...]
     * @param x1  data points, same shape and type as x0
     * @param t   times [B]
     * @param rng the only source of randomness of stochastic paths (drawn in row-major order); deterministic
     *            paths ignore it and accept null
     * @return a new sample whose {@code t}, {@code x0}, {@code x1} are the arguments themselves
     */
    PathSample sample(Tensor x0, Tensor x1, Tensor t, Rng rng);
}
