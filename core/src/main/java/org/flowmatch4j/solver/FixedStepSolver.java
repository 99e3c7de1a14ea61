package org.flowmatch4j.solver;

import java.util.Arrays;
import java.util.Optional;

/**
 * An explicit Runge–Kutta method applied on a time grid: either {@code steps} uniform steps from {@code t0} to
 * {@code t1} ({@code t_k = t0 + (t1 − t0)·k/steps}), or an explicit grid of increasing or decreasing times whose
 * first and last entries must equal {@code t0} and {@code t1}. The NFE of a solve is exactly
 * {@code steps · }{@link #evaluationsPerStep()}.
 *
 * <p>{@link Recording#everyStep()} records every grid point including {@code t0}; {@link Recording#atTimes}
 * records grid points, each requested time having to match one within {@value #GRID_MATCH_TOLERANCE}·|t1 − t0|
 * (the trajectory reports the requested time).
 */
public abstract sealed class FixedStepSolver implements OdeSolver permits Euler, Midpoint, Heun, RK4 {
    /** Relative tolerance, in units of |t1 − t0|, for matching requested output times and grid endpoints. */
    public static final double GRID_MATCH_TOLERANCE = 1e-9;

    private final int steps;
    private final double[] grid;

    FixedStepSolver(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException(name() + ": the number of steps must be >= 1, got " + steps);
        }
        this.steps = steps;
        this.grid = null;
    }

    FixedStepSolver(double[] times) {
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException(name() + ": a time grid needs at least 2 times, got "
                    + (times == null ? "null" : Arrays.toString(times)));
        }
        double[] g = times.clone();
        for (int k = 0; k < g.length; k++) {
            if (!Double.isFinite(g[k])) {
                throw new IllegalArgumentException(name() + ": grid time " + k + " is " + g[k]);
            }
        }
        boolean increasing = g[1] > g[0];
        for (int k = 1; k < g.length; k++) {
            if (increasing ? !(g[k] > g[k - 1]) : !(g[k] < g[k - 1])) {
                throw new IllegalArgumentException(name() + ": grid must be strictly increasing or strictly decreasing,"
                        + " but time " + (k - 1) + " is " + g[k - 1] + " and time " + k + " is " + g[k]);
            }
        }
        this.steps = g.length - 1;
        this.grid = g;
    }

    /** Function evaluations per step (Euler 1, midpoint 2, Heun 2, RK4 4). */
    public abstract int evaluationsPerStep();

    /** Number of steps per solve. */
    public final int steps() {
        return steps;
    }

    /** The explicit grid this solver was built with, if any (a copy). */
    public final Optional<double[]> explicitGrid() {
        return grid == null ? Optional.empty() : Optional.of(grid.clone());
    }

    /**
     * The grid a solve from {@code t0} to {@code t1} uses: the explicit grid, with its endpoints set exactly to
     * {@code t0} and {@code t1}, or the uniform grid.
     *
     * @throws IllegalArgumentException if an explicit grid does not start at {@code t0} and end at {@code t1}
     */
    public final double[] gridFor(double t0, double t1) {
        if (grid == null) {
            double[] g = new double[steps + 1];
            double span = t1 - t0;
            for (int k = 0; k < steps; k++) {
                g[k] = t0 + span * k / steps;
            }
            g[steps] = t1;
            return g;
        }
        double tol = GRID_MATCH_TOLERANCE * Math.abs(grid[steps] - grid[0]);
        if (Math.abs(grid[0] - t0) > tol || Math.abs(grid[steps] - t1) > tol) {
            throw new IllegalArgumentException(name() + ": the grid runs from " + grid[0] + " to " + grid[steps]
                    + " but the solve was asked to run from t0=" + t0 + " to t1=" + t1);
        }
        double[] g = grid.clone();
        g[0] = t0;
        g[steps] = t1;
        return g;
    }

    /**
     * Solves over the explicit grid, from its first time to its last.
     *
     * @throws IllegalStateException if this solver was built with a number of steps instead of a grid
     */
    public final OdeSolution solveOnGrid(OdeSystem system, double[] y0, Recording recording) {
        if (grid == null) {
            throw new IllegalStateException(name() + ": solveOnGrid needs a solver built on an explicit grid; this one"
                    + " takes " + steps + " uniform steps between the times given to solve(...)");
        }
        return solve(system, grid[0], y0, grid[steps], recording);
    }

    @Override
    public final OdeSolution solve(OdeSystem system, double t0, double[] y0, double t1, Recording recording) {
        int n = States.check(name(), system, t0, y0, t1, recording);
        if (t0 == t1 && grid == null) {
            return new OdeSolution(t1, y0, 0, 0, 0, trivialTrajectory(recording, t0, y0));
        }
        double[] g = gridFor(t0, t1);
        double[] outTimes = null;
        int[] outIndex = null;
        if (recording instanceof Recording.EveryStep) {
            outTimes = g;
            outIndex = new int[steps + 1];
            Arrays.setAll(outIndex, k -> k);
        } else if (recording instanceof Recording.AtTimes at) {
            States.checkOutputTimes(name(), at, t0, t1);
            outTimes = at.times();
            outIndex = matchGrid(at, g);
        }
        double[][] outStates = outIndex == null ? null : new double[outIndex.length][];
        int next = 0;
        double[] y = y0.clone();
        while (outIndex != null && next < outIndex.length && outIndex[next] == 0) {
            outStates[next++] = y.clone();
        }
        double[][] work = new double[workArrays()][n];
        for (int k = 0; k < steps; k++) {
            step(system, g[k], g[k + 1], y, work);
            while (outIndex != null && next < outIndex.length && outIndex[next] == k + 1) {
                outStates[next++] = y.clone();
            }
        }
        Optional<Trajectory> trajectory = outIndex == null ? Optional.empty()
                : Optional.of(new Trajectory(outTimes, outStates));
        return new OdeSolution(t1, y, steps * evaluationsPerStep(), steps, 0, trajectory);
    }

    private static Optional<Trajectory> trivialTrajectory(Recording recording, double t0, double[] y0) {
        if (recording instanceof Recording.None) {
            return Optional.empty();
        }
        if (recording instanceof Recording.AtTimes at) {
            States.checkOutputTimes("solve", at, t0, t0);
            double[][] s = new double[at.count()][];
            Arrays.fill(s, y0);
            return Optional.of(new Trajectory(at.times(), s));
        }
        return Optional.of(new Trajectory(new double[] {t0}, new double[][] {y0}));
    }

    /** Maps each requested time to the index of the grid point it matches. */
    private int[] matchGrid(Recording.AtTimes at, double[] g) {
        double tol = GRID_MATCH_TOLERANCE * Math.abs(g[steps] - g[0]);
        int[] idx = new int[at.count()];
        int j = 0;
        for (int i = 0; i < idx.length; i++) {
            double tau = at.time(i);
            // both sequences are monotone in the same direction, so one forward scan suffices
            while (j < steps && Math.abs(g[j] - tau) > tol && Math.abs(g[j + 1] - tau) <= Math.abs(g[j] - tau)) {
                j++;
            }
            if (Math.abs(g[j] - tau) > tol) {
                throw new IllegalArgumentException(name() + ": output time " + tau + " is not a grid point (nearest grid"
                        + " time " + g[j] + "); fixed-step solvers record only grid points");
            }
            idx[i] = j;
        }
        return idx;
    }

    /** Number of length-n work arrays {@link #step} needs. */
    abstract int workArrays();

    /** Advances {@code y} in place from {@code t} to {@code tNext} using the preallocated {@code work} arrays. */
    abstract void step(OdeSystem system, double t, double tNext, double[] y, double[][] work);

    @Override
    public String toString() {
        return name() + (grid == null ? "[steps=" + steps + "]" : "[grid of " + steps + " steps from " + grid[0] + " to "
                + grid[steps] + "]");
    }
}
