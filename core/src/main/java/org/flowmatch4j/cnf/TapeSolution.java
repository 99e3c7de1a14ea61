package org.flowmatch4j.cnf;

import org.flowmatch4j.autodiff.Var;

/**
 * The end of a CNF solve on the tape.
 *
 * @param state    z at the final time, {@code [B, d]}
 * @param integral {@code ∫_{t0}^{t1} div v(t, z(t)) dt} per row, {@code [B]}
 * @param nfe      velocity (and divergence) evaluations, counting rejected adaptive attempts
 * @param accepted accepted steps
 * @param rejected rejected steps (0 for fixed-step methods)
 */
public record TapeSolution(Var state, Var integral, int nfe, int accepted, int rejected) {
}
