package org.flowmatch4j.cnf;

import java.util.Objects;

import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.SolverMethod;

/**
 * Hyper-parameters of maximum-likelihood CNF training.
 *
 * @param steps        optimiser steps
 * @param batch        data points per step
 * @param learningRate Adam learning rate
 * @param maxGradNorm  global gradient-norm clipping threshold (0 disables it)
 * @param seed         seed of every random draw of the run (batches and Hutchinson probes)
 * @param solver       the solver on the tape (fixed-step or dopri5)
 * @param solverSteps  steps of a fixed-step solver (ignored by dopri5)
 * @param adaptive     tolerances, minimum step and step cap of dopri5 (ignored by fixed-step solvers)
 * @param divergence   exact or Hutchinson divergence
 * @param probes       Hutchinson probes per solve (ignored for the exact divergence)
 */
public record CnfSettings(long steps, int batch, double learningRate, double maxGradNorm, long seed, SolverMethod solver,
                          int solverSteps, AdaptiveOptions adaptive, DivergenceMethod divergence, int probes) {
    /** Validates the values. */
    public CnfSettings {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got steps=" + steps + " batch=" + batch);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("gradient clipping norm must be >= 0, got " + maxGradNorm);
        }
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(adaptive, "adaptive");
        Objects.requireNonNull(divergence, "divergence");
        if (!solver.isAdaptive() && solverSteps < 1) {
            throw new IllegalArgumentException("solver steps must be >= 1 for " + solver + ", got " + solverSteps);
        }
        if (divergence != DivergenceMethod.EXACT && probes < 1) {
            throw new IllegalArgumentException("Hutchinson divergence needs >= 1 probe, got " + probes);
        }
    }

    /**
     * Defaults for 2-D data: batch 256, lr 1e-3, clipping at 1, RK4 with 8 steps, exact divergence (dopri5
     * tolerances 1e-5 if switched to it).
     */
    public static CnfSettings defaults(long steps, long seed) {
        return new CnfSettings(steps, 256, 1e-3, 1.0, seed, SolverMethod.RK4, 8, AdaptiveOptions.tolerances(1e-5, 1e-5),
                DivergenceMethod.EXACT, 1);
    }

    /** The solver these settings describe. */
    public TapeSolver tapeSolver() {
        return solver.isAdaptive() ? new DormandPrinceTapeSolver(adaptive) : new FixedStepTapeSolver(solver, solverSteps);
    }
}
