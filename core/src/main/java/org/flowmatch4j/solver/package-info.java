/**
 * Ordinary differential equation solvers for sampling (integrating a velocity field forward, t: 0 → 1)
 * and likelihood (integrating the augmented state backward, t: 1 → 0).
 *
 * <p>A problem is an {@link org.flowmatch4j.solver.OdeSystem} on a flattened float64 state
 * (e.g. {@code [batch·dim]} or {@code [batch·dim + batch]}); an {@link org.flowmatch4j.solver.OdeSolver}
 * integrates it from {@code (t0, y0)} to {@code t1}, in either direction, and returns an immutable
 * {@link org.flowmatch4j.solver.OdeSolution} with the final state, the number of function evaluations (NFE),
 * the accepted and rejected steps and, when asked for through a {@link org.flowmatch4j.solver.Recording},
 * a {@link org.flowmatch4j.solver.Trajectory}.
 *
 * <p>Fixed-step solvers ({@link org.flowmatch4j.solver.Euler}, {@link org.flowmatch4j.solver.Midpoint},
 * {@link org.flowmatch4j.solver.Heun}, {@link org.flowmatch4j.solver.RK4}) run on a uniform or explicit
 * time grid; {@link org.flowmatch4j.solver.DormandPrince54} adapts its step to a tolerance and fails with an
 * {@link org.flowmatch4j.solver.OdeSolverException} instead of hanging. {@link org.flowmatch4j.solver.Solvers}
 * maps the command-line names {@code euler|midpoint|heun|rk4|dopri5} to solvers.
 */
package org.flowmatch4j.solver;
