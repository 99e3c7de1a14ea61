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
    @Option(names = "--solver", description = "euler|midpoint|heun|rk4|dopri5 (default dopri5).")
    String solver;
    @Option(names = "--steps", description = "Steps of a fixed-step solver (default 100; not used by dopri5).")
    Integer steps;
    @Option(names = "--rtol", description = "Relative tolerance of dopri5 (default 1e-5).")
    Double rtol;
    @Option(names = "--atol", description = "Absolute tolerance of dopri5 (default 1e-5).")
    Double atol;

    /**
     * The solver for {@code model}, or null for a model that samples in one pass (a normalizing flow), which
     * refuses solver flags rather than ignoring them.
     */
    OdeSolver createFor(CommandSpec spec, org.flowmatch4j.model.GenerativeModel model) {
        if (model.usesSolver()) {
            return create(spec);
        }
        if (solver != null || steps != null || rtol != null || atol != null) {
            throw new ParameterException(spec.commandLine(), "a '" + model.method()
                    + "' model samples and evaluates in one pass; --solver, --steps, --rtol and --atol do not apply");
        }
        return null;
    }

    OdeSolver create(CommandSpec spec) {
        SolverMethod m;
        try {
            m = Solvers.parse(solver == null ? "dopri5" : solver);
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
