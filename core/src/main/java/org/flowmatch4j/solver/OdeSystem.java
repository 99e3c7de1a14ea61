package org.flowmatch4j.solver;

/**
 * A first-order ODE system {@code dy/dt = f(t, y)} on a flattened float64 state of fixed length.
 *
 * <p>For a batched velocity field the state is the row-major {@code [batch, dim]} array; for the
 * likelihood's augmented state it is {@code [batch·dim + batch]}. Solvers call {@link #derivative}
 * once per function evaluation and own both arrays, so an implementation must not keep references to them
 * between calls.
 */
public interface OdeSystem {
    /** Length of the state vector. */
    int dimension();

    /**
     * Writes {@code f(t, y)} into {@code dydt}.
     *
     * @param t    the time
     * @param y    the state, length {@link #dimension()}; must not be modified
     * @param dydt the output, length {@link #dimension()}; every element must be written
     */
    void derivative(double t, double[] y, double[] dydt);
}
