package org.flowmatch4j.cnf;

import org.flowmatch4j.autodiff.Var;

/**
 * Integrates the CNF's augmented ODE {@code dz/dt = v(t, z)}, {@code dL/dt = div v(t, z)} with every arithmetic
 * step recorded on the autodiff tape, so that the result can be backpropagated to the network's parameters
 * (discretise-then-optimise: the gradient is the exact gradient of the discrete solve).
 */
public interface TapeSolver {
    /** The command-line name of the method. */
    String name();

    /**
     * Solves from {@code (t0, z0, L = 0)} to {@code t1} (backward in time when {@code t1 < t0}).
     *
     * @throws org.flowmatch4j.solver.OdeSolverException if an adaptive solve cannot reach {@code t1} within its limits
     */
    TapeSolution solve(CnfDynamics f, Var z0, double t0, double t1);
}
