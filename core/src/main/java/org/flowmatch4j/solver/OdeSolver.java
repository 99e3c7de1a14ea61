package org.flowmatch4j.solver;

/**
 * Integrates an {@link OdeSystem} from {@code (t0, y0)} to {@code t1}. Integration runs backward in time
 * when {@code t1 < t0}; nothing else changes. Implementations are immutable and thread-safe: each solve
 * allocates its own working arrays, once, and none per step beyond optional trajectory copies.
 */
public interface OdeSolver {
    /** The command-line name of the method ({@code euler}, {@code midpoint}, {@code heun}, {@code rk4}, {@code dopri5}). */
    String name();

    /**
     * Solves the initial-value problem.
     *
     * @param system    the right-hand side
     * @param t0        the initial time
     * @param y0        the initial state, length {@code system.dimension()}, finite; not modified
     * @param t1        the final time (may be less than {@code t0})
     * @param recording which intermediate states to keep
     * @return the final state at exactly {@code t1}, the work done and the recorded trajectory
     * @throws IllegalArgumentException on a wrong state length, non-finite input, or output times the
     *                                  solver cannot honour
     * @throws OdeSolverException       if an adaptive solver cannot reach {@code t1} within its limits
     */
    OdeSolution solve(OdeSystem system, double t0, double[] y0, double t1, Recording recording);

    /** {@link #solve(OdeSystem, double, double[], double, Recording)} without a trajectory. */
    default OdeSolution solve(OdeSystem system, double t0, double[] y0, double t1) {
        return solve(system, t0, y0, t1, Recording.none());
    }
}
