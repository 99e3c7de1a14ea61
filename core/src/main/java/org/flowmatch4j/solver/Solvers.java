package org.flowmatch4j.solver;

import java.util.Arrays;
import java.util.List;

/** Builds solvers from command-line names {@code euler|midpoint|heun|rk4|dopri5}. */
public final class Solvers {
    private Solvers() {}

    /** The valid names, in the order listed in help texts. */
    public static List<String> names() {
        return Arrays.stream(SolverMethod.values()).map(SolverMethod::cliName).toList();
    }

    /** Parses a command-line name; see {@link SolverMethod#parse(String)}. */
    public static SolverMethod parse(String name) {
        return SolverMethod.parse(name);
    }

    /**
     * A solver by name: a fixed-step method with {@code steps} uniform steps, or dopri5 with {@code options}
     * (then {@code steps} is ignored).
     */
    public static OdeSolver create(String name, int steps, AdaptiveOptions options) {
        return create(parse(name), steps, options);
    }

    /** A solver for a method; {@code steps} applies to fixed-step methods, {@code options} to dopri5. */
    public static OdeSolver create(SolverMethod method, int steps, AdaptiveOptions options) {
        return switch (method) {
            case EULER -> new Euler(steps);
            case MIDPOINT -> new Midpoint(steps);
            case HEUN -> new Heun(steps);
            case RK4 -> new RK4(steps);
            case DOPRI5 -> new DormandPrince54(options);
        };
    }

    /**
     * A fixed-step solver on an explicit time grid.
     *
     * @throws IllegalArgumentException for {@link SolverMethod#DOPRI5}, which chooses its own steps
     */
    public static FixedStepSolver onGrid(SolverMethod method, double[] times) {
        return switch (method) {
            case EULER -> new Euler(times);
            case MIDPOINT -> new Midpoint(times);
            case HEUN -> new Heun(times);
            case RK4 -> new RK4(times);
            case DOPRI5 -> throw new IllegalArgumentException("dopri5 chooses its own steps and takes no time grid;"
                    + " fixed-step methods: euler, midpoint, heun, rk4");
        };
    }
}
