package org.flowmatch4j.coupling;

/**
 * How an iterative coupling solver finished: the number of iterations it ran, the marginal error of the
 * plan it returned, and whether that error reached the requested tolerance.
 *
 * <p>For the entropic (Sinkhorn) solvers the marginal error is the L1 distance
 * {@code Σ_i |Σ_j π_ij − a_i|} between the plan's row sums and the source marginal {@code a}; the column
 * sums are exact after each iteration's last half-step. Couplings that solve their problem directly
 * (independent, exact assignment) report {@link #DIRECT}.
 *
 * @param iterations    full Sinkhorn iterations (one row and one column update each) that were run
 * @param marginalError L1 marginal violation of the returned plan (0 for a direct solve)
 * @param converged     whether {@code marginalError} is within the solver's tolerance
 */
public record Convergence(int iterations, double marginalError, boolean converged) {
    /** The result of a non-iterative solve: no iterations, no marginal error. */
    public static final Convergence DIRECT = new Convergence(0, 0.0, true);

    public Convergence {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (!(marginalError >= 0)) {
            throw new IllegalArgumentException("marginalError must be >= 0, got " + marginalError);
        }
    }

    /**
     * The summary of several solves (e.g. one per class): the largest iteration count and marginal error,
     * converged only if all did.
     */
    public Convergence combine(Convergence other) {
        return new Convergence(Math.max(iterations, other.iterations),
                Math.max(marginalError, other.marginalError), converged && other.converged);
    }
}
