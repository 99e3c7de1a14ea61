package org.flowmatch4j.solver;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one solve: the state at the final time, the work it took and, if a {@link Recording} asked for
 * one, the trajectory. Immutable: the state is copied on construction and by {@link #state()}.
 *
 * @param time          the final time {@code t1}
 * @param state         the state at {@code t1}
 * @param nfe           number of evaluations of {@link OdeSystem#derivative}
 * @param acceptedSteps steps that advanced the solution
 * @param rejectedSteps steps an adaptive solver retried with a smaller step (0 for fixed-step solvers)
 * @param trajectory    the recorded states; empty for {@link Recording#none()}
 */
public record OdeSolution(double time, double[] state, int nfe, int acceptedSteps, int rejectedSteps,
        Optional<Trajectory> trajectory) {
    public OdeSolution {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trajectory, "trajectory");
        if (nfe < 0 || acceptedSteps < 0 || rejectedSteps < 0) {
            throw new IllegalArgumentException("OdeSolution: negative counts nfe=" + nfe + " accepted=" + acceptedSteps
                    + " rejected=" + rejectedSteps);
        }
        state = state.clone();
    }

    /** A copy of the final state. */
    @Override
    public double[] state() {
        return state.clone();
    }

    /** Component {@code i} of the final state. */
    public double state(int i) {
        return state[i];
    }

    /** Length of the state. */
    public int dimension() {
        return state.length;
    }

    /** Copies the final state into {@code dst} (length {@link #dimension()}) and returns it. */
    public double[] copyStateInto(double[] dst) {
        if (dst.length != state.length) {
            throw new IllegalArgumentException("copyStateInto: destination has length " + dst.length + ", state has "
                    + state.length);
        }
        System.arraycopy(state, 0, dst, 0, state.length);
        return dst;
    }

    /** Total steps attempted, accepted and rejected. */
    public int steps() {
        return acceptedSteps + rejectedSteps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OdeSolution s && Double.compare(time, s.time) == 0 && Arrays.equals(state, s.state)
                && nfe == s.nfe && acceptedSteps == s.acceptedSteps && rejectedSteps == s.rejectedSteps
                && trajectory.equals(s.trajectory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, Arrays.hashCode(state), nfe, acceptedSteps, rejectedSteps, trajectory);
    }

    @Override
    public String toString() {
        return "OdeSolution[t=" + time + ", dimension=" + state.length + ", nfe=" + nfe + ", accepted=" + acceptedSteps
                + ", rejected=" + rejectedSteps + ", trajectory=" + trajectory.map(Trajectory::size).map(k -> k + " states")
                        .orElse("none") + "]";
    }
}
