package org.flowmatch4j.likelihood;

import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.tensor.Rng;

/**
 * Exact log-likelihoods of a flow: integrates {@link LikelihoodDynamics} from t = 1 (the data) back to t = 0
 * and returns {@code log p1(x) = log N(x(0); 0, I) + ∫₁⁰ div v dt} per point, in nats.
 */
public final class LogLikelihood {
    private LogLikelihood() {
    }

    /**
     * The log-densities of {@code points} rows of {@code data} ({@code [points, d]} row-major).
     *
     * @param probes Hutchinson probes (ignored for exact divergences)
     * @param rng    draws the probes once for the whole solve
     */
    public static LikelihoodResult compute(VelocityField field, float[] data, int points, OdeSolver solver,
                                           DivergenceMethod method, int probes, Rng rng) {
        if (data.length != points * field.dim()) {
            throw new IllegalArgumentException("logprob: data has " + data.length + " values, expected " + points + "×" + field.dim()
                    + " (the model's dimension is " + field.dim() + ")");
        }
        LikelihoodDynamics dyn = new LikelihoodDynamics(field, points, method, probes, rng);
        OdeSolution sol = solver.solve(dyn, 1.0, dyn.initialState(data), 0.0);
        return new LikelihoodResult(dyn.logProbabilities(sol.state()), sol.nfe());
    }
}
