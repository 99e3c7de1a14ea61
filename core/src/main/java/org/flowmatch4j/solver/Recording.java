package org.flowmatch4j.solver;

import java.util.Arrays;

/**
 * Which intermediate states a solve keeps; the result's {@link OdeSolution#trajectory()} is empty for
 * {@link None} and present otherwise.
 *
 * <ul>
 *   <li>{@link None}: nothing beyond the final state.</li>
 *   <li>{@link EveryStep}: the initial state and the state after every accepted step — for fixed-step
 *       solvers the whole time grid, for {@link DormandPrince54} the accepted step boundaries it chose.</li>
 *   <li>{@link AtTimes}: the states at the given times, in integration order, all within {@code [t0, t1]}
 *       (or {@code [t1, t0]} backward). Fixed-step solvers require each time to be a grid point (up to
 *       {@value FixedStepSolver#GRID_MATCH_TOLERANCE} of the span); {@link DormandPrince54} evaluates its
 *       4th-order dense-output interpolant, which costs no function evaluations.</li>
 * </ul>
 */
public sealed interface Recording {
    /** Keeps no trajectory. */
    static Recording none() {
        return None.INSTANCE;
    }

    /** Keeps the initial state and the state after every accepted step. */
    static Recording everyStep() {
        return EveryStep.INSTANCE;
    }

    /** Keeps the states at the given times (finite, strictly monotone in the direction of integration). */
    static Recording atTimes(double... times) {
        return new AtTimes(times);
    }

    /** No trajectory. */
    enum None implements Recording {
        INSTANCE
    }

    /** Every accepted step, including the initial state. */
    enum EveryStep implements Recording {
        INSTANCE
    }

    /**
     * The states at requested times.
     *
     * @param times the output times; copied on construction and on access
     */
    record AtTimes(double[] times) implements Recording {
        public AtTimes {
            if (times == null || times.length == 0) {
                throw new IllegalArgumentException("Recording.atTimes: at least one output time is required");
            }
            times = times.clone();
            for (int i = 0; i < times.length; i++) {
                if (!Double.isFinite(times[i])) {
                    throw new IllegalArgumentException("Recording.atTimes: time " + i + " is " + times[i]);
                }
            }
            boolean increasing = times.length < 2 || times[1] > times[0];
            for (int i = 1; i < times.length; i++) {
                if (increasing ? !(times[i] > times[i - 1]) : !(times[i] < times[i - 1])) {
                    throw new IllegalArgumentException("Recording.atTimes: times must be strictly monotone, got "
                            + Arrays.toString(times));
                }
            }
        }

        @Override
        public double[] times() {
            return times.clone();
        }

        /** Number of output times. */
        public int count() {
            return times.length;
        }

        /** Output time {@code k}. */
        public double time(int k) {
            return times[k];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AtTimes a && Arrays.equals(times, a.times);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(times);
        }

        @Override
        public String toString() {
            return "AtTimes" + Arrays.toString(times);
        }
    }
}
