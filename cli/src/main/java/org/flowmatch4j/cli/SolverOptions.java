package org.flowmatch4j.cli;

import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.SolverMethod;
import org.flowmatch4j.solver.Solvers;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The ODE solver flags shared by {@code sample} and {@code logprob}. */
final class SolverOptions {
    @Option(names = "--solver", defaultValue = "dopri5", description = "euler|midpoint|heun|rk4|dopri5 (default ${DEFAULT-VALUE}).")
    String solver;
    @Option(names = "--steps", description = "Steps of a fixed-step solver (default 100; not used by dopri5).")
    Integer steps;
    @Option(names = "--rtol", description = "Relative tolerance of dopri5 (default 1e-5).")
    Double rtol;
    @Option(names = "--atol", description = "Absolute tolerance of dopri5 (default 1e-5).")
    Double atol;

    OdeSolver create(CommandSpec spec) {
        SolverMethod m;
        try {
            m = Solvers.parse(solver);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean adaptive = m == SolverMethod.DOPRI5;
        if (adaptive && steps != null) {
            throw new ParameterException(spec.commandLine(), "--steps applies to fixed-step solvers; dopri5 takes --rtol/--atol");
        }
        if (!adaptive && (rtol != null || atol != null)) {
            throw new ParameterException(spec.commandLine(), "--rtol/--atol apply to dopri5 only; " + solver + " takes --steps");
        }
        int k = steps == null ? 100 : steps;
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be >= 1, got " + k);
        }
        double r = rtol == null ? AdaptiveOptions.DEFAULT_TOLERANCE : rtol;
        double a = atol == null ? AdaptiveOptions.DEFAULT_TOLERANCE : atol;
        try {
            return Solvers.create(m, k, AdaptiveOptions.tolerances(r, a));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
