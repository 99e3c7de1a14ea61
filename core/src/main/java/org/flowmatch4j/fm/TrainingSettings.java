package org.flowmatch4j.fm;

/**
 * Hyper-parameters of a Flow Matching run.
 *
 * @param steps        optimiser steps
 * @param batch        samples per step
 * @param learningRate Adam learning rate
 * @param emaDecay     decay of the exponential moving average of the weights (0 disables it)
 * @param maxGradNorm  global gradient-norm clipping threshold (0 disables it)
 * @param seed         seed of every random draw of the run
 */
public record TrainingSettings(long steps, int batch, double learningRate, double emaDecay, double maxGradNorm, long seed) {
    /** Validates the values. */
    public TrainingSettings {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got steps=" + steps + " batch=" + batch);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + emaDecay);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("gradient clipping norm must be >= 0, got " + maxGradNorm);
        }
    }
}
