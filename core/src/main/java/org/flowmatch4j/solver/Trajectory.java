package org.flowmatch4j.solver;

import java.util.Arrays;

/**
 * The states a solve recorded: {@code states[k]} is the (flattened) state at {@code times[k]}, in integration
 * order. Immutable: the arrays are copied on construction and by the array accessors; use
 * {@link #time(int)}, {@link #state(int)} or {@link #component(int, int)} to read without copying everything.
 *
 * @param times  the recorded times
 * @param states one state per time, all of the same length
 */
public record Trajectory(double[] times, double[][] states) {
    public Trajectory {
        if (times == null || states == null || times.length != states.length) {
            throw new IllegalArgumentException("Trajectory: " + (times == null ? "null" : times.length) + " times but "
                    + (states == null ? "null" : states.length) + " states");
        }
        times = times.clone();
        double[][] copy = new double[states.length][];
        for (int k = 0; k < states.length; k++) {
            if (states[k] == null || states[k].length != states[0].length) {
                throw new IllegalArgumentException("Trajectory: state " + k + " has length "
                        + (states[k] == null ? "null" : states[k].length) + ", state 0 has " + states[0].length);
            }
            copy[k] = states[k].clone();
        }
        states = copy;
    }

    /** Number of recorded states. */
    public int size() {
        return times.length;
    }

    /** Recorded time {@code k}. */
    public double time(int k) {
        return times[k];
    }

    /** A copy of the state recorded at {@link #time(int) time(k)}. */
    public double[] state(int k) {
        return states[k].clone();
    }

    /** Component {@code i} of state {@code k}. */
    public double component(int k, int i) {
        return states[k][i];
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[][] states() {
        double[][] copy = new double[states.length][];
        for (int k = 0; k < states.length; k++) {
            copy[k] = states[k].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trajectory t && Arrays.equals(times, t.times) && Arrays.deepEquals(states, t.states);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(times) + Arrays.deepHashCode(states);
    }

    @Override
    public String toString() {
        return "Trajectory[" + times.length + " states at t=" + Arrays.toString(times) + "]";
    }
}
