package org.flowmatch4j.solver;

import java.util.Locale;

/** The solvers by command-line name. */
public enum SolverMethod {
    /** {@link Euler}. */
    EULER("euler"),
    /** {@link Midpoint}. */
    MIDPOINT("midpoint"),
    /** {@link Heun}. */
    HEUN("heun"),
    /** {@link RK4}. */
    RK4("rk4"),
    /** {@link DormandPrince54}. */
    DOPRI5("dopri5");

    private final String cliName;

    SolverMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The lower-case command-line name. */
    public String cliName() {
        return cliName;
    }

    /** Whether the method chooses its own steps. */
    public boolean isAdaptive() {
        return this == DOPRI5;
    }

    /**
     * The method with the given command-line name (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the valid names if there is none
     */
    public static SolverMethod parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (SolverMethod m : values()) {
            if (m.cliName.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown solver '" + name + "'; valid names: " + Solvers.names());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
