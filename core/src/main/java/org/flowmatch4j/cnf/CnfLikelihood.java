package org.flowmatch4j.cnf;

import org.flowmatch4j.autodiff.Var;

/**
 * The CNF's log-likelihood on the tape: integrating {@code dz/dt = v(t, z)}, {@code dL/dt = div v(t, z)} from
 * the data {@code z(1) = x}, {@code L(1) = 0} back to t = 0 gives
 * {@code log p1(x) = log N(z(0); 0, I) + L(0) = −(d/2)·log 2π − ½‖z(0)‖² − ∫₀¹ div v(t, z(t)) dt}, as
 * {@link org.flowmatch4j.likelihood.LogLikelihood} computes outside the tape. Backpropagating the mean negative
 * log-likelihood through every solver step gives the maximum-likelihood gradient of the discretised flow.
 *
 * @param logProb log p1(x) per row, {@code [B]}, on the tape
 * @param nfe     evaluations the solve took
 */
public record CnfLikelihood(Var logProb, int nfe) {
    /**
     * Integrates the batch {@code x} ({@code [B, d]}, a constant of the tape) from t = 1 to t = 0.
     */
    public static CnfLikelihood compute(CnfDynamics f, TapeSolver solver, Var x) {
        TapeSolution s = solver.solve(f, x, 1.0, 0.0);
        int d = f.dim();
        // L(0) = ∫₁⁰ div dt is what the solve accumulated
        Var logp = s.state().square().sum(1, false).mul(-0.5).add(-0.5 * d * Math.log(2 * Math.PI)).add(s.integral());
        return new CnfLikelihood(logp, s.nfe());
    }

    /** The mean negative log-likelihood (nats), the training loss. */
    public Var meanNll() {
        return logProb.mean().neg();
    }
}
